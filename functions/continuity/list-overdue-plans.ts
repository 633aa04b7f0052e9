/**
 * `GET /continuity-plans/overdue`: plans due for a test by `at` (default
 * now). The plan list is ordered by next test due, so this is the head of
 * it: one Query with the sort key up to `at`.
 * @module
 */
import { now } from '../../shared/clock.js';
import { listPlans } from '../../shared/data/continuity-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { planSummaryResource } from './continuity-access.js';
import { continuityRoutes as routes } from './continuity-routes.js';

export const handler = httpHandler(routes.listOverdueContinuityPlans, async ({ actor, query }) => {
  const at = query.at ? new Date(query.at).toISOString() : now().toISOString();
  const page = await listPlans(actor.tenantId, { limit: query.limit, cursor: query.cursor, dueBy: at });
  return { statusCode: 200, body: { items: page.items.map((plan) => planSummaryResource(plan, at)), nextCursor: page.nextCursor } };
});
