/** `POST /tenants`: onboard a tenant (operator). @module */

import type { Tenant } from '#shared/domain/tenants/tenant.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { tenantResource } from '#shared/http/tenants/tenant-access.js';
import { onboardTenant } from '#shared/services/tenants/tenant-admin.js';

const resultOf = (tenant: Tenant) => ({
  statusCode: 201,
  body: tenantResource(tenant),
  headers: { location: `/tenants/${tenant.id}` },
  version: tenant.version,
});

export const handler = httpHandler(routes.createTenant, async ({ actor, body, idempotency }) => {
  const { admin, ...input } = body;
  const outcome = await onboardTenant(actor, input, admin, idempotency, (tenant) => storedResponse(resultOf(tenant)));
  return 'replay' in outcome ? replayedResult(outcome.replay.response) : resultOf(outcome.tenant);
});
