/** `GET /knowledge/articles/{id}`: the article the caller may read; counts a view. @module */
import { now } from '#shared/clock.js';
import { countView } from '#shared/data/knowledge/article-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { articleResult, findReadableArticle } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.getArticle, async ({ actor, params }) => {
  const at = now().toISOString();
  const article = await findReadableArticle(actor, params.id);
  // A view of something published is what the metric means; an author rereading a draft is not one.
  if (article.published) await countView(actor.tenantId, article.id, at);
  return articleResult(article, actor, at, { withStats: true });
});
