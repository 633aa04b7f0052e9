/** `POST /tenants/{id}/exports`: the operator exports a tenant, in that tenant's scope. @module */
import { runAsTenantFromPlatform } from '#shared/data/tenant-scope.js';
import type { ExportJob } from '#shared/domain/tenants/export-job.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { exportResource } from '#shared/http/tenants/tenant-access.js';
import { findTenant, operatorIn } from '#shared/services/tenants/tenant-admin.js';
import { requestExport } from '#shared/services/tenants/tenant-export.js';

export const handler = httpHandler(routes.exportTenant, async ({ actor, params, idempotency }) => {
  const tenant = await findTenant(params.id);
  const resultOf = (job: ExportJob) => ({
    statusCode: 202,
    body: exportResource(job),
    headers: { location: `/tenants/${tenant.id}/exports/${job.id}` },
    version: job.version,
  });
  const outcome = await runAsTenantFromPlatform(tenant.id, () =>
    requestExport(operatorIn(actor, tenant.id), idempotency, (job) => storedResponse(resultOf(job))),
  );
  return 'replay' in outcome ? replayedResult(outcome.replay.response) : resultOf(outcome.job);
});
