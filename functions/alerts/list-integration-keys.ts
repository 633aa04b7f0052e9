/** `GET /settings/integration-keys`: the tenant's keys, without secrets. @module */
import { listIntegrationKeys } from '#shared/data/alerts/integration-key-repository.js';
import { integrationKeyResource } from '#shared/http/alerts/integration-key-resource.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listIntegrationKeys, async ({ actor, query }) => {
  const page = await listIntegrationKeys(actor.tenantId, query.limit, query.cursor);
  return { statusCode: 200, body: { items: page.items.map(integrationKeyResource), nextCursor: page.nextCursor } };
});
