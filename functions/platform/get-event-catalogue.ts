/** `GET /events/catalogue`: public, built once per container. @module */
import { catalogueDocument } from '#shared/events/catalogue-document.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { platformRoutes as routes } from '#shared/http/platform/routes.js';

let document: unknown;

export const handler = httpHandler(routes.getEventCatalogue, async () => {
  document ??= { items: catalogueDocument() };
  return { statusCode: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
