/** `POST /knowledge/articles`: draft an article (idempotent with `Idempotency-Key`). @module */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { allocateArticleNumber, insertArticle } from '#shared/data/knowledge/article-repository.js';
import { createArticle } from '#shared/domain/knowledge/article.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { articleResult } from '#shared/services/knowledge/article-access.js';

export const handler = httpHandler(routes.createArticle, async ({ actor, body, idempotency, path }) => {
  const at = now().toISOString();
  const change = createArticle(body, { tenantId: actor.tenantId, id: ulid(), number: await allocateArticleNumber(actor.tenantId) }, { actor, now: at });
  const result = await articleResult(change.article, actor, at, { statusCode: 201, headers: { location: `${path}/${change.article.id}` } });
  const replay = await insertArticle(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
