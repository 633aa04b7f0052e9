/**
 * The recurring test of a plan, as one-off schedules (EventBridge
 * Scheduler `at()`), each re-created after the test it starts passes:
 *
 * - as the target of the bus rule `ScheduleContinuityTests`
 *   (`ContinuityTestPassed`): schedules this function at the plan's next
 *   test due date (a year on by default);
 * - invoked by that schedule (`{ scheduled: … }`): requests the test
 *   (`trigger: schedule`, kind `combined`), which starts the workflow like
 *   an on-demand test, unless the plan moved on meanwhile (tested again
 *   on demand, edited): then the schedule is stale and does nothing.
 *
 * Failed tests and plans flagged for a retest are not rescheduled: they
 * are due now and on the overdue report, and retesting a broken recovery
 * on a timer would only repeat the failure; a person requests the retest,
 * and its pass schedules the next regular one.
 * @module
 */
import { ulid } from 'ulid';
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { getPlan, insertTest } from '#shared/data/continuity/continuity-repository.js';
import { requestTest } from '#shared/domain/continuity/continuity-plan.js';
import { requiredEnv } from '#shared/env.js';
import { functionArnVariable } from '#shared/events/rules.js';
import { scheduleOnce } from '#shared/events/scheduler.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { engineOf } from '#shared/services/continuity/workflow-task.js';

const HANDLER = 'continuity/schedule-plan-test';

const passedEvent = z.object({
  'detail-type': z.literal('ContinuityTestPassed'),
  detail: z.object({ tenantId: z.string().min(1), planId: z.string().min(1) }),
});
const scheduledRun = z.object({ scheduled: z.object({ tenantId: z.string().min(1), planId: z.string().min(1), due: z.string().min(1) }) });

/** Schedule names: ≤ 64 characters, unique per plan and due date, so a redelivered event cannot schedule twice. */
export function scheduleName(planId: string, due: string): string {
  return `ct-${planId}-${due.replace(/[^0-9]/g, '').slice(0, 14)}`;
}

async function handle(event: unknown): Promise<{ action: 'scheduled' | 'requested' | 'stale'; testId?: string }> {
  const run = scheduledRun.safeParse(event);
  if (run.success) return runScheduled(run.data.scheduled);
  const { detail } = passedEvent.parse(event);
  const plan = await getPlan(detail.tenantId, detail.planId);
  if (plan?.status !== 'current') return { action: 'stale' };
  try {
    await scheduleOnce({
      name: scheduleName(plan.id, plan.nextTestDue),
      when: new Date(plan.nextTestDue),
      targetArn: requiredEnv(functionArnVariable(HANDLER)),
      payload: { scheduled: { tenantId: plan.tenantId, planId: plan.id, due: plan.nextTestDue } },
    });
  } catch (error) {
    // The same pass delivered again: the schedule exists already.
    if ((error as { name?: string }).name !== 'ConflictException') throw error;
  }
  logger.info('Next continuity test scheduled', { tenantId: plan.tenantId, planId: plan.id, due: plan.nextTestDue });
  return { action: 'scheduled' };
}

async function runScheduled(run: { tenantId: string; planId: string; due: string }) {
  const plan = await getPlan(run.tenantId, run.planId);
  if (!plan || plan.nextTestDue !== run.due) return { action: 'stale' as const };
  const actor = engineOf(run.tenantId);
  const test = requestTest(plan, ulid(), 'combined', 'schedule', { actor, now: now().toISOString() });
  // Keyed by the schedule: a retried invocation replays the first request instead of testing twice.
  const key = scheduleName(plan.id, run.due);
  const replay = await insertTest(test, actor, { key, requestHash: key, response: { statusCode: 202, headers: {}, body: { testId: test.id } } });
  return { action: 'requested' as const, testId: replay ? (replay.response as { body: { testId: string } }).body.testId : test.id };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/schedule-plan-test', handle);
