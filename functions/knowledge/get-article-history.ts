/** `GET /knowledge/articles/{id}/history`. @module */
import { listArticleHistory } from '#shared/data/knowledge/article-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { findArticleForStaff } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.getArticleHistory, async ({ actor, params, query }) => {
  const article = await findArticleForStaff(actor, params.id);
  return { statusCode: 200, body: await listArticleHistory(actor.tenantId, article.id, query.limit, query.cursor) };
});
