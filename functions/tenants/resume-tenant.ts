/** `POST /tenants/{id}/resume` (operator). @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { resume } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.resumeTenant, async ({ actor, params, ifMatch }) => {
  const tenant = await resume(actor, params.id, ifMatch);
  return { statusCode: 200, body: tenantResource(tenant), version: tenant.version };
});
