/** `GET /releases/{id}`. @module */

import { findRelease, releaseResult } from '#shared/http/changes/release-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getRelease, async ({ actor, params }) => releaseResult(await findRelease(actor, params.id)));
