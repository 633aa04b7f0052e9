/** `GET /changes`: all, by status or by requester, in planned-start order. @module */
import { listChanges } from '#shared/data/changes/change-repository.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listChanges, async ({ actor, query }) => {
  const queue = query.status ? 'status' : query.requester ? 'requester' : 'all';
  const page = await listChanges(actor.tenantId, {
    queue,
    value: query.status ?? query.requester,
    from: query.from,
    to: query.to,
    limit: query.limit,
    cursor: query.cursor,
  });
  return { statusCode: 200, body: page };
});
