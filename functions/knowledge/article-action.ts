/**
 * `POST /knowledge/articles/{id}/<action>`: submit, publish, reject, retire.
 * One module serves the four routes, dispatching on the resource template.
 * @module
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { now } from '#shared/clock.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { type ArticleCommand, applyArticleCommand, REVIEW_MONTHS } from '#shared/domain/knowledge/article.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { articleActionRoutes as routes } from '#shared/http/knowledge/routes.js';
import { articleResult, changeArticle } from '#shared/services/knowledge/article-access.js';

const COMMANDS: { [K in keyof typeof routes]: (body: Record<string, unknown> | undefined) => ArticleCommand } = {
  submitArticle: () => ({ action: 'submit' }),
  publishArticle: () => ({ action: 'publish', reviewMonths: REVIEW_MONTHS }),
  rejectArticle: (body) => ({ action: 'reject', reason: body?.reason as string }),
  retireArticle: (body) => ({ action: 'retire', reason: body?.reason as string }),
};

const handlers = new Map(
  (Object.keys(routes) as (keyof typeof routes)[]).map((name) => [
    routes[name].path,
    httpHandler(routes[name], async ({ actor, params, body, ifMatch }) => {
      const at = now().toISOString();
      const command = COMMANDS[name](body as Record<string, unknown> | undefined);
      const article = await changeArticle(actor, params.id, ifMatch, (current) => applyArticleCommand(current, command, { actor, now: at }));
      return articleResult(article, actor, at);
    }),
  ]),
);

export async function handler(event: APIGatewayProxyEvent, context: Context) {
  const route = handlers.get(event.resource);
  if (!route) throw new NotFoundError(`No article action at ${event.resource}.`);
  return route(event, context);
}
