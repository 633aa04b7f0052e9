/** `GET /catalogue-items`: the catalogue, as far as the caller may see it. @module */
import { listCatalogueItems } from '#shared/data/requests/catalogue-item-repository.js';
import { itemVisibleTo } from '#shared/domain/requests/catalogue-item.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.listCatalogueItems, async ({ actor, query }) => {
  const page = await listCatalogueItems(actor.tenantId, query);
  // A requester's page may come out shorter than the limit: the cursor still walks the whole catalogue.
  const items = page.items.filter((item) => itemVisibleTo(item, actor)).map(({ visibility: _hidden, ...item }) => item);
  return { statusCode: 200, body: { items, nextCursor: page.nextCursor } };
});
