/** `POST /knowledge/articles/{id}/feedback`: one helpful / not-helpful vote per user. @module */
import { now } from '#shared/clock.js';
import { recordVote } from '#shared/data/knowledge/article-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { findReadableArticle } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.rateArticle, async ({ actor, params, body }) => {
  const article = await findReadableArticle(actor, params.id);
  await recordVote(actor.tenantId, article.id, actor.userId, body.helpful, now().toISOString());
  return { statusCode: 204 };
});
