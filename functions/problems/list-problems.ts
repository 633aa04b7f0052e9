/** `GET /problems`: problem records, oldest first (one Query on GSI1). @module */
import { listActionRecords } from '#shared/data/continuity/action-plan-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';

export const handler = httpHandler(routes.listProblems, async ({ actor, query }) => ({
  statusCode: 200,
  body: await listActionRecords(actor.tenantId, 'problem', query.limit, query.cursor),
}));
