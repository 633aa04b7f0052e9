/** `GET /continuity-plans/{id}`: the plan with the status it has now. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { findPlan, planResource } from './continuity-access.js';
import { continuityRoutes as routes } from './continuity-routes.js';

export const handler = httpHandler(routes.getContinuityPlan, async ({ actor, params }) => {
  const plan = await findPlan(actor, params.id);
  return { statusCode: 200, body: planResource(plan), version: plan.version };
});
