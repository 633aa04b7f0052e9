/** `GET /tenants/{id}` (operator). @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { findTenant } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.getTenant, async ({ params }) => {
  const tenant = await findTenant(params.id);
  return { statusCode: 200, body: tenantResource(tenant), version: tenant.version };
});
