/**
 * The `CompleteTest` task: judges the step results (`judgeTest`: every step
 * passed, recovery within RTO, data loss within RPO), records them per step
 * and overall on the test (`ContinuityTestPassed` / `ContinuityTestFailed`)
 * and the plan's new status and dates, in one transaction. A finished test
 * (a retried task) answers its recorded outcome.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { saveTest } from '#shared/data/continuity/continuity-repository.js';
import { judgeTest, planAfterTest, type StepResult } from '#shared/domain/continuity/continuity-plan.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { engineOf, loadPlan, loadTest, TestIdentity } from '#shared/services/continuity/workflow-task.js';

/** What a Map item answers: a step result, or a failure the workflow caught (`error`). */
const ItemResult = z.object({
  stepId: z.string(),
  outcome: z.enum(['passed', 'failed', 'timed_out']),
  detail: z.string().optional(),
  confirmedBy: z.string().nullable().optional(),
  recoveryPoint: z.string().nullable().optional(),
  finishedAt: z.string().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

const CompleteInput = TestIdentity.extend({ results: z.array(ItemResult) });

/** A Lambda error's Cause is JSON (`errorMessage`) in AWS and the bare message locally. */
function causeOf(error: { Error?: string | undefined; Cause?: string | undefined }): string {
  try {
    const parsed = JSON.parse(error.Cause ?? '') as { errorMessage?: string };
    if (parsed.errorMessage) return parsed.errorMessage;
  } catch {
    // not JSON: the message itself
  }
  return error.Cause || error.Error || 'failed';
}

async function handle(event: unknown): Promise<{ outcome: 'passed' | 'failed' }> {
  const { tenantId, testId, results } = CompleteInput.parse(event);
  const test = await loadTest(tenantId, testId);
  if (test.status === 'passed' || test.status === 'failed') return { outcome: test.status };
  const plan = await loadPlan(tenantId, test.planId);
  const at = now().toISOString();
  const recorded: StepResult[] = results.map((result) => ({
    stepId: result.stepId,
    outcome: result.outcome,
    detail: result.error ? causeOf(result.error) : (result.detail ?? (result.outcome === 'timed_out' ? 'not confirmed within 24 h' : '')),
    confirmedBy: result.confirmedBy ?? null,
    recoveryPoint: result.recoveryPoint ?? null,
    finishedAt: result.finishedAt ?? at,
  }));
  const verdict = judgeTest(test, recorded, at);
  await saveTest(
    {
      ...test,
      status: verdict.outcome,
      completedAt: at,
      results: recorded,
      recoveryMinutes: verdict.recoveryMinutes,
      dataLossMinutes: verdict.dataLossMinutes,
      failureReasons: verdict.failureReasons,
      awaiting: {},
      updatedAt: at,
      version: test.version + 1,
    },
    test,
    engineOf(tenantId),
    verdict.outcome === 'passed' ? 'ContinuityTestPassed' : 'ContinuityTestFailed',
    { planAfter: { plan: planAfterTest(plan, test, verdict, at), expectedVersion: plan.version }, facts: { defectSteps: verdict.defectSteps } },
  );
  return { outcome: verdict.outcome };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/complete-test', handle);
