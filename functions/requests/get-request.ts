/** `GET /requests/{id}`: by ULID or number; one read. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { findRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.getRequest, async ({ actor, params }) => requestResult(await findRequest(actor, params.id), actor));
