/** `GET /knowledge/articles`: soonest review first; by status, or flagged for review (one Query). @module */
import { now } from '#shared/clock.js';
import { listArticles } from '#shared/data/knowledge/article-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';

export const handler = httpHandler(routes.listArticles, async ({ actor, query }) => ({
  statusCode: 200,
  body: await listArticles(actor.tenantId, {
    status: query.status,
    dueBy: query.reviewDue === 'true' ? now().toISOString() : undefined,
    limit: query.limit,
    cursor: query.cursor,
  }),
}));
