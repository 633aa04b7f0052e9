/**
 * The `RecordStart` task of `statemachines/continuity-test.asl.json`: the
 * test is running from now (business clock), announced with
 * `ContinuityTestStarted`; answers the steps to run. A test already
 * started (a retried task) is answered as it is.
 * @module
 */
import { now } from '#shared/clock.js';
import { saveTest } from '#shared/data/continuity/continuity-repository.js';
import type { RecoveryStep } from '#shared/domain/continuity/continuity-plan.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { engineOf, loadTest, TestIdentity } from '#shared/services/continuity/workflow-task.js';

async function handle(event: unknown): Promise<{ steps: readonly RecoveryStep[] }> {
  const { tenantId, testId } = TestIdentity.parse(event);
  const test = await loadTest(tenantId, testId);
  if (test.status !== 'requested') return { steps: test.steps };
  const at = now().toISOString();
  await saveTest({ ...test, status: 'running', startedAt: at, updatedAt: at, version: test.version + 1 }, test, engineOf(tenantId), 'ContinuityTestStarted');
  return { steps: test.steps };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/record-test-start', handle);
