/** `GET /change-metrics`: change and release success rates over a period. @module */
import { listChangesPlannedBetween } from '#shared/data/changes/change-repository.js';
import { listReleasesPlannedBetween } from '#shared/data/changes/release-repository.js';
import { successRate } from '#shared/domain/changes/change.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

/** Changes that ran: implemented and reviewed or closed, or rolled back. Cancelled and rejected ones never ran. */
const FINISHED = new Set(['review', 'closed']);

export const handler = httpHandler(routes.getChangeMetrics, async ({ actor, query }) => {
  const [changes, releases] = await Promise.all([
    listChangesPlannedBetween(actor.tenantId, query.from, query.to),
    listReleasesPlannedBetween(actor.tenantId, query.from, query.to),
  ]);
  const ran = changes.filter((change) => FINISHED.has(change.status));
  const ended = releases.filter((release) => release.result !== null).map((release) => ({ rolledBack: release.result === 'rolled_back' }));
  const figures = (records: { rolledBack: boolean }[]) => ({
    total: records.length,
    rolledBack: records.filter((record) => record.rolledBack).length,
    successRate: successRate(records),
  });
  return { statusCode: 200, body: { from: query.from, to: query.to, changes: figures(ran), releases: figures(ended) } };
});
