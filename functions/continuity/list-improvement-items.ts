/** `GET /improvement-items`: oldest first (one Query on GSI1). @module */
import { listActionRecords } from '#shared/data/continuity/action-plan-repository.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listImprovementItems, async ({ actor, query }) => ({
  statusCode: 200,
  body: await listActionRecords(actor.tenantId, 'improvement', query.limit, query.cursor),
}));
