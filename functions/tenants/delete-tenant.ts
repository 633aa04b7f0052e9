/** `DELETE /tenants/{id}`: start deleting a suspended, exported tenant (operator). @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { requestDeletion } from '#shared/services/tenants/tenant-admin.js';

export const handler = httpHandler(routes.deleteTenant, async ({ actor, params, ifMatch }) => {
  const tenant = await requestDeletion(actor, params.id, ifMatch);
  return { statusCode: 202, body: tenantResource(tenant), version: tenant.version, headers: { location: `/tenants/${tenant.id}` } };
});
