/** `PUT /catalogue-items/{id}`: replace the draft and the visibility. @module */
import { now } from '#shared/clock.js';
import { updateItem } from '#shared/domain/requests/catalogue-item.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { catalogueItemResult, changeCatalogueItem } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.updateCatalogueItem, async ({ actor, params, body, ifMatch }) => {
  const item = await changeCatalogueItem(actor, params.id, ifMatch, (current) => updateItem(current, { actor, now: now().toISOString() }, body));
  return catalogueItemResult(item, actor);
});
