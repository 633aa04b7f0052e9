/** `GET /request-tasks?group=`: a group's open fulfilment tasks, earliest due first (one Query). @module */
import { listTaskQueue } from '#shared/data/requests/request-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.listRequestTasks, async ({ actor, query }) => ({
  statusCode: 200,
  body: await listTaskQueue(actor.tenantId, query.group, { limit: query.limit, cursor: query.cursor }),
}));
