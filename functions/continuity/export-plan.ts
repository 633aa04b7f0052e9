/**
 * `GET /continuity-plans/{id}/export`: the plan, its service and the CIs
 * the service depends on (the downstream impact walk, depth 3), as JSON or
 * a printable HTML page to keep offline.
 * @module
 */
import { now } from '#shared/clock.js';
import { getCi, getCiSummaries, neighbourReader } from '#shared/data/cmdb/ci-repository.js';
import { walkImpact } from '#shared/domain/cmdb/impact.js';
import { findPlan, planResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { type PlanExport, planExportHtml } from '#shared/services/continuity/plan-export.js';

const EXPORT_LIMITS = { maxDepth: 3, maxNodes: 500 };

export const handler = httpHandler(routes.exportContinuityPlan, async ({ actor, params, query }) => {
  const plan = await findPlan(actor, params.id);
  const [service, walk] = await Promise.all([
    getCi(actor.tenantId, plan.serviceId),
    walkImpact(plan.serviceId, 'downstream', EXPORT_LIMITS, neighbourReader(actor.tenantId, 'downstream')),
  ]);
  const summaries = await getCiSummaries(
    actor.tenantId,
    walk.impacted.map((node) => node.id),
  );
  const data: PlanExport = {
    exportedAt: now().toISOString(),
    plan: planResource(plan),
    service: service ? { id: service.id, name: service.name, status: service.status } : null,
    impactedCis: walk.impacted.flatMap((node) => {
      const summary = summaries.get(node.id);
      return summary ? [{ id: summary.id, name: summary.name, class: summary.class, depth: node.depth }] : [];
    }),
  };
  if (query.format === 'html') {
    return {
      statusCode: 200,
      text: planExportHtml(data),
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
    };
  }
  return { statusCode: 200, body: data, version: plan.version };
});
