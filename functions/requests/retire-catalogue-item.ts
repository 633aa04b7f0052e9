/** `POST /catalogue-items/{id}/retire`: no new requests. @module */
import { now } from '#shared/clock.js';
import { retireItem } from '#shared/domain/requests/catalogue-item.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { catalogueItemResult, changeCatalogueItem } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.retireCatalogueItem, async ({ actor, params, ifMatch }) => {
  const item = await changeCatalogueItem(actor, params.id, ifMatch, (current) => retireItem(current, { actor, now: now().toISOString() }));
  return catalogueItemResult(item, actor);
});
