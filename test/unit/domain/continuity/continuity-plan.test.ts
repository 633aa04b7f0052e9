/**
 * Continuity plan rules: next test dates, the status a reader sees, which
 * changes require a retest, how a finished test is judged (steps, RTO,
 * RPO), the plan after a test, and the action plan a failure opens.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { improvementFromTest, problemFromTest } from '#shared/domain/continuity/action-plan.js';
import {
  addMonths,
  type ContinuityPlan,
  createPlan,
  effectiveStatus,
  isMajorChange,
  judgeTest,
  planAfterTest,
  type RecoveryStep,
  requestTest,
  requireRetest,
  type StepResult,
} from '#shared/domain/continuity/continuity-plan.js';

const actor = { tenantId: 'acme', userId: 'dr-manager', roles: ['manager'] as const };
const T0 = '2026-11-22T10:00:00.000Z';
const plus = (minutes: number, from = T0) => new Date(Date.parse(from) + minutes * 60_000).toISOString();
const steps: RecoveryStep[] = [
  { id: 'db', name: 'DB health', kind: 'probe', url: 'https://db.example/health', expectedStatus: 200, timeoutSeconds: 5, recoveryPointField: 'lastBackupAt' },
  { id: 'failover', name: 'Fail over', kind: 'manual', instructions: 'Promote the replica' },
];

function plan(overrides: Partial<ContinuityPlan> = {}): ContinuityPlan {
  const created = createPlan(
    {
      name: 'Payments DR',
      serviceId: 'svc-1',
      rtoMinutes: 60,
      rpoMinutes: 15,
      contacts: [
        { name: 'B', role: 'deputy', phone: null, email: 'b@x', escalationLevel: 2 },
        { name: 'A', role: 'lead', phone: null, email: 'a@x', escalationLevel: 1 },
      ],
      steps,
    },
    'plan-1',
    { actor, now: T0 },
  ).plan;
  return { ...created, ...overrides };
}

const result = (stepId: string, outcome: StepResult['outcome'], extra: Partial<StepResult> = {}): StepResult => ({
  stepId,
  outcome,
  detail: outcome,
  confirmedBy: null,
  recoveryPoint: null,
  finishedAt: T0,
  ...extra,
});

describe('plans', () => {
  it('a new plan: defaults (99.9 %, yearly), contacts in escalation order, due for its first test now', () => {
    const created = plan();
    expect(created).toMatchObject({ availabilityTarget: 99.9, testFrequencyMonths: 12, status: 'current', nextTestDue: T0, version: 1 });
    expect(created.contacts.map((contact) => contact.name)).toEqual(['A', 'B']);
    expect(effectiveStatus(created, T0)).toBe('test_overdue');
  });

  it('duplicate step ids are refused', () => {
    expect(() => createPlan({ ...plan(), steps: [steps[0] as RecoveryStep, steps[0] as RecoveryStep] }, 'p', { actor, now: T0 })).toThrow(RangeError);
  });

  it.each([
    { status: 'current', due: plus(1), at: T0, seen: 'current' },
    { status: 'current', due: T0, at: T0, seen: 'test_overdue' },
    { status: 'current', due: plus(-1), at: T0, seen: 'test_overdue' },
    { status: 'retest_required', due: plus(60 * 24), at: T0, seen: 'retest_required' },
  ] as const)('status $status due $due at $at → $seen', ({ status, due, at, seen }) => {
    expect(effectiveStatus({ status, nextTestDue: due }, at)).toBe(seen);
  });

  it.each([
    ['2026-01-31T09:00:00.000Z', 1, '2026-02-28T09:00:00.000Z'],
    ['2028-01-31T09:00:00.000Z', 1, '2028-02-29T09:00:00.000Z'],
    ['2026-11-22T10:00:00.000Z', 12, '2027-11-22T10:00:00.000Z'],
    ['2026-08-31T00:00:00.000Z', 6, '2027-02-28T00:00:00.000Z'],
  ] as const)('addMonths(%s, %i) = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  it.each([
    { type: 'emergency', risk: 'low', major: true },
    { type: 'emergency', risk: null, major: true },
    { type: 'normal', risk: 'high', major: true },
    { type: 'standard', risk: 'high', major: true },
    { type: 'normal', risk: 'medium', major: false },
    { type: 'normal', risk: null, major: false },
    { type: 'standard', risk: 'low', major: false },
  ] as const)('a $type change of $risk risk is major: $major', ({ type, risk, major }) => {
    expect(isMajorChange({ type, risk })).toBe(major);
  });

  it('a major change requires a retest, due now (an earlier due date stays); the same change twice changes nothing', () => {
    const current = plan({ nextTestDue: plus(60 * 24 * 200) });
    const change = { changeId: 'c1', number: 'CHG0001002', type: 'emergency' as const, risk: null };
    const flagged = requireRetest(current, change, { actor, now: plus(5) });
    expect(flagged?.plan).toMatchObject({ status: 'retest_required', retestReason: 'emergency change CHG0001002', nextTestDue: plus(5), version: 2 });
    expect(flagged?.eventType).toBe('ContinuityPlanRetestRequired');
    expect(flagged?.facts).toMatchObject({ changeNumber: 'CHG0001002', changeType: 'emergency' });
    expect(requireRetest(flagged?.plan as ContinuityPlan, change, { actor, now: plus(6) })).toBeNull();
    expect(requireRetest(plan({ nextTestDue: plus(-60) }), change, { actor, now: plus(5) })?.plan.nextTestDue).toBe(plus(-60));
  });
});

describe('judgeTest', () => {
  const test = { rtoMinutes: 60, rpoMinutes: 15, startedAt: T0, steps };

  it.each([
    { name: 'all passed in time', results: [result('db', 'passed'), result('failover', 'passed')], at: plus(30), outcome: 'passed', reasons: [] },
    {
      name: 'a probe failed',
      results: [result('db', 'failed', { detail: 'HTTP 503' }), result('failover', 'passed')],
      at: plus(30),
      outcome: 'failed',
      reasons: ['step db failed: HTTP 503'],
    },
    {
      name: 'a manual step timed out',
      results: [result('db', 'passed'), result('failover', 'timed_out')],
      at: plus(30),
      outcome: 'failed',
      reasons: ['step failover was not confirmed in time'],
    },
    { name: 'a step missing', results: [result('db', 'passed')], at: plus(30), outcome: 'failed', reasons: ['step failover did not run'] },
    {
      name: 'over RTO with every step green',
      results: [result('db', 'passed'), result('failover', 'passed')],
      at: plus(61),
      outcome: 'failed',
      reasons: ['recovery took 61 min, RTO is 60 min'],
    },
    { name: 'exactly RTO passes', results: [result('db', 'passed'), result('failover', 'passed')], at: plus(60), outcome: 'passed', reasons: [] },
    {
      name: 'data loss over RPO',
      results: [result('db', 'passed', { recoveryPoint: plus(-20) }), result('failover', 'passed')],
      at: plus(30),
      outcome: 'failed',
      reasons: ['data loss of 20 min, RPO is 15 min'],
    },
    {
      name: 'the newest recovery point counts',
      results: [result('db', 'passed', { recoveryPoint: plus(-20) }), result('failover', 'passed', { recoveryPoint: plus(-10) })],
      at: plus(30),
      outcome: 'passed',
      reasons: [],
    },
  ] as const)('$name', ({ results, at, outcome, reasons }) => {
    const verdict = judgeTest(test, results, at);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.failureReasons).toEqual(reasons);
  });

  it('only failed steps are defects (a timeout or a slow recovery proves no defect)', () => {
    expect(judgeTest(test, [result('db', 'failed'), result('failover', 'timed_out')], plus(90)).defectSteps).toEqual(['db']);
  });

  it('data loss is not assessed without a recovery point', () => {
    expect(judgeTest(test, [result('db', 'passed'), result('failover', 'passed')], plus(1)).dataLossMinutes).toBeNull();
  });

  it('property: the verdict passes iff every step passed, recovery ≤ RTO and data loss ≤ RPO', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('passed', 'failed', 'timed_out'),
        fc.constantFrom('passed', 'failed', 'timed_out'),
        fc.integer({ min: 0, max: 200 }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
        (a, b, minutes, loss) => {
          const results = [result('db', a, { recoveryPoint: loss === null ? null : plus(-loss) }), result('failover', b)];
          const verdict = judgeTest(test, results, plus(minutes));
          const expected = a === 'passed' && b === 'passed' && minutes <= 60 && (loss === null || loss <= 15);
          expect(verdict.outcome === 'passed').toBe(expected);
          expect(verdict.failureReasons.length === 0).toBe(expected);
        },
      ),
    );
  });
});

describe('after a test', () => {
  it('a pass: current, next test one frequency later; a failure: retest required, due now', () => {
    const before = plan({ status: 'retest_required', retestReason: 'x' });
    expect(planAfterTest(before, { id: 't1' }, { outcome: 'passed' }, T0)).toMatchObject({
      status: 'current',
      retestReason: null,
      lastTestAt: T0,
      lastTestId: 't1',
      lastTestOutcome: 'passed',
      nextTestDue: '2027-11-22T10:00:00.000Z',
      version: 2,
    });
    expect(planAfterTest(plan(), { id: 't2' }, { outcome: 'failed' }, T0)).toMatchObject({
      status: 'retest_required',
      retestReason: 'test t2 failed',
      nextTestDue: T0,
    });
  });

  it('the action plan: a problem only for defects; an improvement item owned by the first contact, due in 30 days, pointing at the problem', () => {
    const p = plan();
    const test = requestTest(p, 'test-1', 'live', 'schedule', { actor, now: T0 });
    const ctx = { now: T0, createdBy: 'continuity-test' };
    const failedStep = judgeTest({ ...test, startedAt: T0 }, [result('db', 'failed', { detail: 'HTTP 503' }), result('failover', 'passed')], plus(10));
    const problem = problemFromTest(test, p, failedStep, { id: 'test-1-PRB', number: 'PRB0001001' }, ctx)?.problem;
    expect(problem).toMatchObject({
      status: 'new',
      serviceId: 'svc-1',
      source: { kind: 'continuity_test', testId: 'test-1', stepIds: ['db'] },
      description: 'step db failed: HTTP 503',
    });
    const item = improvementFromTest(test, p, failedStep, problem?.id ?? null, { id: 'test-1-IMP', number: 'IMP0001001' }, ctx);
    expect(item).toMatchObject({ owner: 'a@x', problemId: 'test-1-PRB', deadline: '2026-12-22T10:00:00.000Z', status: 'open' });
    expect(item.goal).toContain('step db failed: HTTP 503');
    expect(item.expectedResult).toContain('RTO 60 min and RPO 15 min');

    const slow = judgeTest({ ...test, startedAt: T0 }, [result('db', 'passed'), result('failover', 'passed')], plus(90));
    expect(problemFromTest(test, p, slow, { id: 'x', number: 'y' }, ctx)).toBeNull();
  });
});
