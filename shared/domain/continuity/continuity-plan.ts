/**
 * Continuity plans and their tests, as pure rules: a plan per business
 * service with RTO, RPO, availability target, contacts and recovery steps;
 * when its next test is due; when it must be retested (a major or
 * emergency change touched its service, or its last test failed); and how
 * a finished test is judged (every step passed, recovery within RTO, data
 * loss within RPO).
 * @module
 */
import { ForbiddenError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import { type Actor, hasRole } from '#shared/domain/roles.js';

/** What a plan says of itself; `test_overdue` is derived at read time from `nextTestDue`. */
export const PLAN_STATUSES = ['current', 'test_overdue', 'retest_required'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const TEST_KINDS = ['tabletop', 'live', 'combined'] as const;
export type TestKind = (typeof TEST_KINDS)[number];

/** The longest a plan may go untested (seed 002 §3.4: checked at least yearly). */
export const MAX_TEST_FREQUENCY_MONTHS = 12;

export interface Contact {
  readonly name: string;
  readonly role: string;
  readonly phone: string | null;
  readonly email: string | null;
  /** Order in the escalation list: 1 is called first. */
  readonly escalationLevel: number;
}

/** An automated step: an HTTP health probe that must answer `expectedStatus` within `timeoutSeconds`. */
export interface ProbeStep {
  readonly id: string;
  readonly name: string;
  readonly kind: 'probe';
  readonly url: string;
  readonly expectedStatus: number;
  readonly timeoutSeconds: number;
  /** A top-level member of the JSON answer holding the recovery point (ISO time of the newest data recovered). */
  readonly recoveryPointField: string | null;
}

/** Recovery functions are the deploying account's own runbooks; the invoking role may call these names only. */
export const RECOVERY_FUNCTION_PREFIX = 'itsm-recovery-';
export const RECOVERY_FUNCTION_NAME = /^itsm-recovery-[A-Za-z0-9_-]{1,50}$/;

/**
 * An automated step: a recovery function (`itsm-recovery-…`) invoked with
 * `payload`; it passes when the JSON answer holds every member of `expect`
 * with the same value, within `timeoutSeconds`.
 */
export interface FunctionStep {
  readonly id: string;
  readonly name: string;
  readonly kind: 'function';
  readonly functionName: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly expect: Readonly<Record<string, unknown>>;
  readonly timeoutSeconds: number;
  /** A top-level member of the answer holding the recovery point (ISO time of the newest data recovered). */
  readonly recoveryPointField: string | null;
}

/** A manual step: a person confirms it with evidence (and, for a restore, the recovery point reached). */
export interface ManualStep {
  readonly id: string;
  readonly name: string;
  readonly kind: 'manual';
  readonly instructions: string;
}

export type RecoveryStep = ProbeStep | FunctionStep | ManualStep;

export interface ContinuityPlan {
  readonly tenantId: string;
  readonly id: string;
  readonly name: string;
  /** The business service (a CMDB CI of class `business_service`). */
  readonly serviceId: string;
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
  readonly availabilityTarget: number;
  readonly testFrequencyMonths: number;
  readonly contacts: readonly Contact[];
  readonly steps: readonly RecoveryStep[];
  /** `current` or `retest_required`; `test_overdue` is read from the dates. */
  readonly status: Exclude<PlanStatus, 'test_overdue'>;
  readonly retestReason: string | null;
  readonly lastTestAt: string | null;
  readonly lastTestId: string | null;
  readonly lastTestOutcome: 'passed' | 'failed' | null;
  readonly nextTestDue: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export interface PlanInput {
  readonly name: string;
  readonly serviceId: string;
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
  readonly availabilityTarget?: number | undefined;
  readonly testFrequencyMonths?: number | undefined;
  readonly contacts: readonly Contact[];
  readonly steps: readonly RecoveryStep[];
}

export type PlanEventType = 'ContinuityPlanCreated' | 'ContinuityPlanRetestRequired';

export interface PlanChange extends RecordChange<PlanEventType> {
  readonly plan: ContinuityPlan;
}

/** `date` plus `months` calendar months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const d = new Date(date);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

/** A new plan: due for its first test now (an untested plan is not yet proven). */
export function createPlan(input: PlanInput, id: string, ctx: { actor: Actor; now: string }): PlanChange {
  const stepIds = new Set(input.steps.map((step) => step.id));
  if (stepIds.size !== input.steps.length) throw new RangeError('Step ids must be unique within a plan.');
  const plan: ContinuityPlan = {
    tenantId: ctx.actor.tenantId,
    id,
    name: input.name,
    serviceId: input.serviceId,
    rtoMinutes: input.rtoMinutes,
    rpoMinutes: input.rpoMinutes,
    availabilityTarget: input.availabilityTarget ?? 99.9,
    testFrequencyMonths: input.testFrequencyMonths ?? MAX_TEST_FREQUENCY_MONTHS,
    contacts: [...input.contacts].sort((a, b) => a.escalationLevel - b.escalationLevel),
    steps: input.steps,
    status: 'current',
    retestReason: null,
    lastTestAt: null,
    lastTestId: null,
    lastTestOutcome: null,
    nextTestDue: ctx.now,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return { plan, action: 'create', eventType: 'ContinuityPlanCreated', changes: [], facts: { serviceId: plan.serviceId } };
}

/** The status a reader sees at `now`: a current plan whose test is due is overdue. */
export function effectiveStatus(plan: Pick<ContinuityPlan, 'status' | 'nextTestDue'>, now: string): PlanStatus {
  if (plan.status === 'retest_required') return 'retest_required';
  return Date.parse(plan.nextTestDue) <= Date.parse(now) ? 'test_overdue' : 'current';
}

/** The parts of a change event this practice reads (source `itsm.changes`). */
export interface ChangeFacts {
  readonly changeId: string;
  readonly number: string;
  readonly type: 'standard' | 'normal' | 'emergency';
  readonly risk: 'low' | 'medium' | 'high' | null;
}

/** A change is major for continuity when it is an emergency change or of high risk. */
export function isMajorChange(change: Pick<ChangeFacts, 'type' | 'risk'>): boolean {
  return change.type === 'emergency' || change.risk === 'high';
}

/**
 * The plan after a major change touched its service: retest required, due
 * now. `null` when this change already flagged it (a redelivered event).
 */
export function requireRetest(plan: ContinuityPlan, change: ChangeFacts, ctx: { actor: Actor; now: string }): PlanChange | null {
  const reason = `${change.type} change ${change.number}`;
  if (plan.status === 'retest_required' && plan.retestReason === reason) return null;
  const next: ContinuityPlan = {
    ...plan,
    status: 'retest_required',
    retestReason: reason,
    nextTestDue: Date.parse(plan.nextTestDue) < Date.parse(ctx.now) ? plan.nextTestDue : ctx.now,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: plan.version + 1,
  };
  const changes: FieldChange[] = [
    { field: 'status', from: plan.status, to: next.status },
    { field: 'retestReason', from: plan.retestReason, to: reason },
    { field: 'nextTestDue', from: plan.nextTestDue, to: next.nextTestDue },
  ];
  return {
    plan: next,
    action: 'require-retest',
    eventType: 'ContinuityPlanRetestRequired',
    changes,
    facts: { changeId: change.changeId, changeNumber: change.number, changeType: change.type, risk: change.risk },
  };
}

// ── Tests ─────────────────────────────────────────────────────────────────

export const TEST_STATUSES = ['requested', 'running', 'passed', 'failed'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** How one step ended. `timed_out`: nobody confirmed a manual step in time. */
export const STEP_OUTCOMES = ['passed', 'failed', 'timed_out'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export interface StepResult {
  readonly stepId: string;
  readonly outcome: StepOutcome;
  /** What was observed: the probe's status and time, the confirmer's evidence, the error. */
  readonly detail: string;
  readonly confirmedBy: string | null;
  readonly recoveryPoint: string | null;
  readonly finishedAt: string;
}

export interface ContinuityTest {
  readonly tenantId: string;
  readonly id: string;
  readonly planId: string;
  readonly serviceId: string;
  readonly kind: TestKind;
  readonly trigger: 'on_demand' | 'schedule';
  readonly status: TestStatus;
  /** The plan as tested: later edits of the plan do not rewrite a test. */
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
  readonly steps: readonly RecoveryStep[];
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly results: readonly StepResult[];
  readonly recoveryMinutes: number | null;
  readonly dataLossMinutes: number | null;
  readonly failureReasons: readonly string[];
  /** Manual steps waiting for a person: step id → the workflow's task token (never shown by the API). */
  readonly awaiting: Readonly<Record<string, string>>;
  readonly improvementItemId: string | null;
  readonly problemId: string | null;
  readonly updatedAt: string;
  readonly version: number;
}

/** A test requested now for `plan`, with a copy of what it tests. */
/**
 * Who may test a plan on demand: managers, since a live test runs the
 * plan's recovery steps against real systems. Agents see plans and confirm
 * manual steps; a refused agent gets 403 only after the plan was found.
 */
export function mayRequestTest(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'manager');
}

export function requestTest(
  plan: ContinuityPlan,
  id: string,
  kind: TestKind,
  trigger: ContinuityTest['trigger'],
  ctx: { actor: Actor; now: string },
): ContinuityTest {
  // Scheduled tests run as the engine: the schedule was set up by a manager's plan.
  if (trigger === 'on_demand' && !mayRequestTest(ctx.actor)) throw new ForbiddenError('Only managers test a continuity plan on demand.');
  return {
    tenantId: plan.tenantId,
    id,
    planId: plan.id,
    serviceId: plan.serviceId,
    kind,
    trigger,
    status: 'requested',
    rtoMinutes: plan.rtoMinutes,
    rpoMinutes: plan.rpoMinutes,
    steps: plan.steps,
    requestedAt: ctx.now,
    requestedBy: ctx.actor.userId,
    startedAt: null,
    completedAt: null,
    results: [],
    recoveryMinutes: null,
    dataLossMinutes: null,
    failureReasons: [],
    awaiting: {},
    improvementItemId: null,
    problemId: null,
    updatedAt: ctx.now,
    version: 1,
  };
}

export interface TestVerdict {
  readonly outcome: 'passed' | 'failed';
  readonly recoveryMinutes: number;
  /** `null` when no step reported a recovery point (RPO then not assessed). */
  readonly dataLossMinutes: number | null;
  readonly failureReasons: readonly string[];
  /** Steps that failed (not merely unconfirmed): they exposed a defect, which becomes a problem record. */
  readonly defectSteps: readonly string[];
}

/**
 * Judges a finished test: every step passed, recovery (start → last step
 * done) within RTO, data loss (start − newest recovery point reached)
 * within RPO. A test can fail on time alone, every step green.
 */
export function judgeTest(
  test: Pick<ContinuityTest, 'rtoMinutes' | 'rpoMinutes' | 'startedAt' | 'steps'>,
  results: readonly StepResult[],
  completedAt: string,
): TestVerdict {
  const started = Date.parse(test.startedAt ?? completedAt);
  const recoveryMinutes = Math.max(0, (Date.parse(completedAt) - started) / 60_000);
  const points = results.flatMap((result) => (result.recoveryPoint ? [Date.parse(result.recoveryPoint)] : [])).filter(Number.isFinite);
  const dataLossMinutes = points.length ? Math.max(0, (started - Math.max(...points)) / 60_000) : null;
  const reasons: string[] = [];
  const byId = new Map(results.map((result) => [result.stepId, result]));
  for (const step of test.steps) {
    const result = byId.get(step.id);
    if (!result) reasons.push(`step ${step.id} did not run`);
    else if (result.outcome === 'failed') reasons.push(`step ${step.id} failed: ${result.detail}`);
    else if (result.outcome === 'timed_out') reasons.push(`step ${step.id} was not confirmed in time`);
  }
  if (recoveryMinutes > test.rtoMinutes) reasons.push(`recovery took ${round(recoveryMinutes)} min, RTO is ${test.rtoMinutes} min`);
  if (dataLossMinutes !== null && dataLossMinutes > test.rpoMinutes) reasons.push(`data loss of ${round(dataLossMinutes)} min, RPO is ${test.rpoMinutes} min`);
  return {
    outcome: reasons.length ? 'failed' : 'passed',
    recoveryMinutes: round(recoveryMinutes),
    dataLossMinutes: dataLossMinutes === null ? null : round(dataLossMinutes),
    failureReasons: reasons,
    defectSteps: results.filter((result) => result.outcome === 'failed').map((result) => result.stepId),
  };
}

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}

/** The plan after a test: a pass makes it current until the next test is due; a failure requires a retest, due now. */
export function planAfterTest(plan: ContinuityPlan, test: Pick<ContinuityTest, 'id'>, verdict: Pick<TestVerdict, 'outcome'>, now: string): ContinuityPlan {
  const passed = verdict.outcome === 'passed';
  return {
    ...plan,
    status: passed ? 'current' : 'retest_required',
    retestReason: passed ? null : `test ${test.id} failed`,
    lastTestAt: now,
    lastTestId: test.id,
    lastTestOutcome: verdict.outcome,
    nextTestDue: passed ? addMonths(now, plan.testFrequencyMonths) : now,
    updatedAt: now,
    updatedBy: 'continuity-test',
    version: plan.version + 1,
  };
}

/** Who the continuity workflow acts as in audit entries and events. */
export const CONTINUITY_ENGINE: Omit<Actor, 'tenantId'> = { userId: 'continuity-test', roles: ['manager'] };
