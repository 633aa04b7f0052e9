/** `POST /cis/import`: validate every line, report each, write the valid ones. @module */
import { now } from '../../shared/clock.js';
import { applyImport } from '../../shared/data/ci-import-writer.js';
import { parseImport } from '../../shared/domain/ci-import.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { ciRules } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.importCis, async ({ actor, body, query }) => {
  const rules = await ciRules(actor.tenantId);
  const report = await applyImport(actor, parseImport(body, rules), { dryRun: query.dryRun, now: now().toISOString(), rules });
  return { statusCode: 200, body: report };
});
