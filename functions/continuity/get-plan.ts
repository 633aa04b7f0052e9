/** `GET /continuity-plans/{id}`: the plan with the status it has now and its latest tests (one GetItem, one Query). @module */
import { listTestsOfPlan } from '#shared/data/continuity/continuity-repository.js';
import { findPlan, planResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

const LATEST_TESTS = 20;

export const handler = httpHandler(routes.getContinuityPlan, async ({ actor, params }) => {
  const plan = await findPlan(actor, params.id);
  const tests = await listTestsOfPlan(actor.tenantId, plan.id, LATEST_TESTS);
  return { statusCode: 200, body: { ...planResource(plan), latestTests: tests.items }, version: plan.version };
});
