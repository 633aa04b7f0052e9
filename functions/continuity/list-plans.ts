/** `GET /continuity-plans`: the tenant's plans by next test due (one Query on GSI1). @module */
import { listPlans } from '../../shared/data/continuity-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { planSummaryResource } from './continuity-access.js';
import { continuityRoutes as routes } from './continuity-routes.js';

export const handler = httpHandler(routes.listContinuityPlans, async ({ actor, query }) => {
  const page = await listPlans(actor.tenantId, { limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: { items: page.items.map((plan) => planSummaryResource(plan)), nextCursor: page.nextCursor } };
});
