/**
 * `POST /continuity-tests/{id}/steps/{stepId}/confirm`: completes the human
 * task the workflow waits on with the confirmer's result and evidence. The
 * workflow records it with the test's result (audited there, with the
 * confirmer's id); a step that is not waiting answers 409.
 * @module
 */
import { now } from '#shared/clock.js';
import { ConflictError, NotFoundError } from '#shared/domain/errors.js';
import { findTest } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { sendTaskSuccess } from '#shared/workflows/step-functions.js';

export const handler = httpHandler(routes.confirmContinuityStep, async ({ actor, params, body }) => {
  const test = await findTest(actor, params.id);
  const step = test.steps.find((candidate) => candidate.id === params.stepId);
  if (step?.kind !== 'manual') throw new NotFoundError(`Test ${test.id} has no manual step ${params.stepId}.`);
  const token = test.awaiting[step.id];
  const result = {
    stepId: step.id,
    outcome: body.outcome,
    detail: body.evidence,
    confirmedBy: actor.userId,
    recoveryPoint: body.recoveryPoint === null ? null : new Date(body.recoveryPoint).toISOString(),
    finishedAt: now().toISOString(),
  };
  if (!token || !(await sendTaskSuccess(token, result))) {
    throw new ConflictError(`Step ${step.id} of test ${test.id} is not waiting for a confirmation (not reached yet, confirmed, or timed out).`);
  }
  return { statusCode: 200, body: { testId: test.id, stepId: step.id, outcome: body.outcome, confirmedBy: actor.userId } };
});
