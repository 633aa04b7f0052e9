/** `GET /changes/{id}`: by ULID or number. @module */

import { changeResult, findChange } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChange, async ({ actor, params }) => changeResult(await findChange(actor, params.id), actor));
