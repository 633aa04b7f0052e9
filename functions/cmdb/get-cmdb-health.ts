/** `GET /cmdb/health`: completeness, orphans and staleness over the whole tenant (paged Queries on GSI1). @module */

import { now } from '#shared/clock.js';
import { readWholeList } from '#shared/data/cmdb/ci-repository.js';
import { getCmdbSettings } from '#shared/data/cmdb/cmdb-settings-repository.js';
import { cmdbHealth, type HealthCi } from '#shared/domain/cmdb/cmdb-health.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

async function collect<T>(pages: AsyncGenerator<Record<string, unknown>[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(page as T[]));
  return all;
}

export const handler = httpHandler(routes.getCmdbHealth, async ({ actor }) => {
  const [settings, cis, relationships] = await Promise.all([
    getCmdbSettings(actor.tenantId),
    collect<HealthCi>(readWholeList(actor.tenantId, 'cis')),
    collect<{ dependentId: string; dependencyId: string }>(readWholeList(actor.tenantId, 'relationships')),
  ]);
  const measuredAt = now().toISOString();
  return { statusCode: 200, body: { ...cmdbHealth(cis, relationships, settings.value, measuredAt), measuredAt } };
});
