/** `GET /releases/{id}`. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { findRelease, releaseResult } from './release-access.js';

export const handler = httpHandler(routes.getRelease, async ({ actor, params }) => releaseResult(await findRelease(actor, params.id)));
