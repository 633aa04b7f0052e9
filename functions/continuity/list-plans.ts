/**
 * `GET /continuity-plans`: the tenant's plans by next test due (one Query
 * on GSI1); with `overdue=true` the overdue report: the head of that list,
 * up to `at` (default now), one Query with the sort key bounded.
 * @module
 */
import { now } from '#shared/clock.js';
import { listPlans } from '#shared/data/continuity/continuity-repository.js';
import { planSummaryResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listContinuityPlans, async ({ actor, query }) => {
  const at = query.at ? new Date(query.at).toISOString() : now().toISOString();
  const page = await listPlans(actor.tenantId, { limit: query.limit, cursor: query.cursor, dueBy: query.overdue ? at : undefined });
  return { statusCode: 200, body: { items: page.items.map((plan) => planSummaryResource(plan, at)), nextCursor: page.nextCursor } };
});
