/** `POST /cis/import`: validate every line, report each, write the valid ones. @module */
import { now } from '#shared/clock.js';
import { applyImport } from '#shared/data/cmdb/ci-import-writer.js';
import { parseImport } from '#shared/domain/cmdb/ci-import.js';
import { ciRules } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.importCis, async ({ actor, body, query }) => {
  const rules = await ciRules(actor.tenantId);
  const report = await applyImport(actor, parseImport(body, rules), { dryRun: query.dryRun, now: now().toISOString(), rules });
  return { statusCode: 200, body: report };
});
