/** `GET /tenants/{id}/exports/{exportId}` (operator). @module */
import { runAsTenantFromPlatform } from '#shared/data/tenant-scope.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { exportResource, findExport } from '#shared/http/tenants/tenant-access.js';
import { findTenant } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.getTenantExport, async ({ params }) => {
  const tenant = await findTenant(params.id);
  const job = await runAsTenantFromPlatform(tenant.id, () => findExport(tenant.id, params.exportId));
  return { statusCode: 200, body: exportResource(job), version: job.version };
});
