/** `POST /tenants/{id}/suspend` (operator). @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { suspend } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.suspendTenant, async ({ actor, params, body, ifMatch }) => {
  const tenant = await suspend(actor, params.id, body.reason, ifMatch);
  return { statusCode: 200, body: tenantResource(tenant), version: tenant.version };
});
