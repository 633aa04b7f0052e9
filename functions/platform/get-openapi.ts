/** `GET /openapi.json`: public, generated once per container; the one function that loads every route. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { buildOpenApiDocument } from '#shared/http/openapi.js';
import { routes } from '#shared/http/routes.js';

let document: unknown;

export const handler = httpHandler(routes.getOpenApi, async ({ headers }) => {
  const host = headers.host ?? 'localhost';
  const stage = process.env.API_BASE_PATH ?? '';
  document ??= buildOpenApiDocument(Object.values(routes), `${headers['x-forwarded-proto'] ?? 'https'}://${host}${stage}`);
  return { statusCode: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
