/** `GET /knowledge/articles/{id}/revisions`: every published revision, as published. @module */
import { listArticleRevisions } from '#shared/data/knowledge/article-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { findArticleForStaff } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.listArticleRevisions, async ({ actor, params, query }) => {
  const article = await findArticleForStaff(actor, params.id);
  return { statusCode: 200, body: await listArticleRevisions(actor.tenantId, article.id, query.limit, query.cursor) };
});
