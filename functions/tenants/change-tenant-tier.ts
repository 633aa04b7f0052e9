/** `PUT /tenants/{id}/tier` (operator). @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { changeTier } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.changeTenantTier, async ({ actor, params, body, ifMatch }) => {
  const tenant = await changeTier(actor, params.id, body.tier, ifMatch);
  return { statusCode: 200, body: tenantResource(tenant), version: tenant.version };
});
