/** `GET /requests/{id}/history`: the audit trail, oldest first. @module */
import { listRequestHistory } from '#shared/data/requests/request-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findRequest } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.getRequestHistory, async ({ actor, params, query }) => {
  const request = await findRequest(actor, params.id);
  return { statusCode: 200, body: await listRequestHistory(actor.tenantId, request.id, query.limit, query.cursor) };
});
