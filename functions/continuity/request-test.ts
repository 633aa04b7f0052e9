/**
 * `POST /continuity-plans/{id}/tests`: records a requested test; its event
 * (`ContinuityTestRequested`) starts the workflow through the bus rule
 * `StartContinuityTest`, so the API needs no Step Functions rights and a
 * scheduled test takes the very same path.
 * @module
 */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertTest } from '#shared/data/continuity/continuity-repository.js';
import { requestTest } from '#shared/domain/continuity/continuity-plan.js';
import { findPlan, testResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.requestContinuityTest, async ({ actor, params, body, idempotency }) => {
  const plan = await findPlan(actor, params.id);
  const test = requestTest(plan, ulid(), body.kind, 'on_demand', { actor, now: now().toISOString() });
  const result = { statusCode: 202, body: testResource(test), version: test.version, headers: { location: `/continuity-tests/${test.id}` } };
  const replay = await insertTest(test, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
