/**
 * `GET /cis/{id}/impact`: the walk (one round of parallel Queries per
 * level), then one BatchGetItem per 100 impacted CIs for their summaries,
 * then one Query per CI of the set for open incidents.
 * @module
 */
import { openIncidentsOnCis, scheduledChangesOnCis } from '#shared/data/cmdb/ci-links.js';
import { getCiSummaries, neighbourReader, summariseCi } from '#shared/data/cmdb/ci-repository.js';
import { walkImpact } from '#shared/domain/cmdb/impact.js';
import { findCi } from '#shared/http/cmdb/ci-access.js';
import { ciSummaryResource, incidentOnCi } from '#shared/http/cmdb/impact-resource.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getCiImpact, async ({ actor, params, query }) => {
  const origin = await findCi(actor, params.id);
  const walk = await walkImpact(
    origin.id,
    query.direction,
    { maxDepth: query.depth, maxNodes: query.maxNodes },
    neighbourReader(actor.tenantId, query.direction),
  );
  const ids = walk.impacted.map((node) => node.id);
  const setIds = [origin.id, ...ids];
  const [summaries, incidents, changes] = await Promise.all([
    getCiSummaries(actor.tenantId, ids),
    openIncidentsOnCis(actor.tenantId, setIds),
    scheduledChangesOnCis(actor.tenantId, setIds),
  ]);
  // An edge may outlive nothing (CIs are retired, never deleted), but a summary missing for any reason is skipped, not invented.
  const impacted = walk.impacted.flatMap((node) => {
    const summary = summaries.get(node.id);
    return summary ? [{ ...ciSummaryResource(summary), depth: node.depth, path: node.path }] : [];
  });
  return {
    statusCode: 200,
    body: {
      origin: ciSummaryResource(summariseCi(origin)),
      direction: query.direction,
      depth: query.depth,
      maxNodes: query.maxNodes,
      impacted,
      businessServices: impacted.filter((ci) => ci.class === 'business_service').map((ci) => ci.id),
      openIncidents: setIds.flatMap((id) => (incidents.byCi.get(id) ?? []).map(incidentOnCi)),
      scheduledChanges: changes,
      truncated: { nodeLimit: walk.nodeLimitReached },
      cost: { rounds: walk.rounds, ciQueries: walk.ciQueries, batchGets: Math.ceil(ids.length / 100), incidentQueries: incidents.queries },
    },
  };
});
