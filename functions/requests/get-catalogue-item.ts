/** `GET /catalogue-items/{id}`: by ULID or code. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { catalogueItemResult, findCatalogueItem } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.getCatalogueItem, async ({ actor, params }) => catalogueItemResult(await findCatalogueItem(actor, params.id), actor));
