/** `GET /settings/integration-keys`: the tenant's keys, without secrets. @module */
import { listIntegrationKeys } from '../../shared/data/integration-key-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { integrationKeyResource } from './integration-key-resource.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export const handler = httpHandler(routes.listIntegrationKeys, async ({ actor, query }) => {
  const page = await listIntegrationKeys(actor.tenantId, query.limit, query.cursor);
  return { statusCode: 200, body: { items: page.items.map(integrationKeyResource), nextCursor: page.nextCursor } };
});
