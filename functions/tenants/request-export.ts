/** `POST /exports`: a tenant admin exports the tenant's records. @module */

import type { ExportJob } from '#shared/domain/tenants/export-job.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { exportResource } from '#shared/http/tenants/tenant-access.js';
import { requestExport } from '#shared/services/tenants/tenant-export.js';

const resultOf = (job: ExportJob) => ({ statusCode: 202, body: exportResource(job), headers: { location: `/exports/${job.id}` }, version: job.version });

export const handler = httpHandler(routes.requestExport, async ({ actor, idempotency }) => {
  const outcome = await requestExport(actor, idempotency, (job) => storedResponse(resultOf(job)));
  return 'replay' in outcome ? replayedResult(outcome.replay.response) : resultOf(outcome.job);
});
