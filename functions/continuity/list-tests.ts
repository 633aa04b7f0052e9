/** `GET /continuity-plans/{id}/tests`: the plan's tests, oldest first (one Query on GSI1). @module */
import { listTestsOfPlan } from '../../shared/data/continuity-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { findPlan } from './continuity-access.js';
import { continuityRoutes as routes } from './continuity-routes.js';

export const handler = httpHandler(routes.listContinuityTests, async ({ actor, params, query }) => {
  const plan = await findPlan(actor, params.id);
  const page = await listTestsOfPlan(actor.tenantId, plan.id, query.limit, query.cursor);
  return { statusCode: 200, body: page };
});
