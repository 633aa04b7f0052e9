/**
 * The function behind the `AwaitConfirmation` human task: stores the task
 * token on the test under the step's id and announces
 * `ContinuityStepConfirmationRequested`, so a person can confirm the step
 * (`POST /continuity-tests/{id}/steps/{stepId}/confirm`). Its own answer
 * is ignored: the task's result is what the confirmation sends.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { saveTest } from '#shared/data/continuity/continuity-repository.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { engineOf, loadTest, TaskStep, TestIdentity } from '#shared/services/continuity/workflow-task.js';

const ConfirmationInput = TestIdentity.extend({ step: TaskStep, taskToken: z.string().min(1) });

async function handle(event: unknown): Promise<{ waiting: string }> {
  const { tenantId, testId, step, taskToken } = ConfirmationInput.parse(event);
  const test = await loadTest(tenantId, testId);
  if (test.awaiting[step.id] === taskToken) return { waiting: step.id };
  const at = now().toISOString();
  await saveTest(
    { ...test, awaiting: { ...test.awaiting, [step.id]: taskToken }, updatedAt: at, version: test.version + 1 },
    test,
    engineOf(tenantId),
    'ContinuityStepConfirmationRequested',
    { stepId: step.id, facts: { stepId: step.id } },
  );
  return { waiting: step.id };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/request-confirmation', handle);
