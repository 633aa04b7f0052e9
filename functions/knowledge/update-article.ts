/** `PATCH /knowledge/articles/{id}`: edit the working copy (If-Match). @module */
import { now } from '#shared/clock.js';
import { applyArticleCommand } from '#shared/domain/knowledge/article.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { articleResult, changeArticle } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.updateArticle, async ({ actor, params, body, ifMatch }) => {
  const at = now().toISOString();
  const article = await changeArticle(actor, params.id, ifMatch, (current) =>
    applyArticleCommand(current, { action: 'edit', content: body }, { actor, now: at }),
  );
  return articleResult(article, actor, at);
});
