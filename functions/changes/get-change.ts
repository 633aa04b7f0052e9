/** `GET /changes/{id}`: by ULID or number. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeResult, findChange } from './change-access.js';
import { changeRoutes as routes } from './change-routes.js';

export const handler = httpHandler(routes.getChange, async ({ actor, params }) => changeResult(await findChange(actor, params.id)));
