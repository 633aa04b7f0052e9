/** `GET /exports/{id}`. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { exportResource, findExport } from '#shared/http/tenants/tenant-access.js';

export const handler = httpHandler(routes.getExport, async ({ actor, params }) => {
  const job = await findExport(actor.tenantId, params.id);
  return { statusCode: 200, body: exportResource(job), version: job.version };
});
