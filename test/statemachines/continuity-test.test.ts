/**
 * The continuity test workflow file, executed by the local runner on every
 * path with the real task functions against DynamoDB Local: all automated
 * steps pass; a probe fails, is retried, the test fails and an action plan
 * (improvement item and problem record) is opened; a manual step is
 * confirmed; a manual step times out; recovery over RTO fails the test
 * although every step passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTenant, useLocalTable } from '../integration/api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable('ERROR');
const { manualStep, probeStep, probeTarget, runTest, seedTest, tokenFor } = await import('./continuity-scenario.js');
const { getPlan } = await import('#shared/data/continuity/continuity-repository.js');
const { getActionRecord } = await import('#shared/data/continuity/action-plan-repository.js');
const { getProblem } = await import('#shared/data/problems/problem-repository.js');
const { advanceClockTo, now } = await import('#shared/clock.js');

let target: Awaited<ReturnType<typeof probeTarget>>;
beforeAll(async () => {
  target = await probeTarget();
});
afterAll(async () => target.close());

describe('continuity-test workflow, every path', () => {
  it('all automated steps pass: test passed, plan current until a year on, no action plan', async () => {
    const tenant = newTenant('ct');
    target.state.up = true;
    target.state.recoveryPoint = new Date(now().getTime() - 5 * 60_000).toISOString();
    const { plan, test } = await seedTest(tenant, [probeStep('app', target.url), probeStep('db', target.url, { recoveryPointField: 'lastBackupAt' } as never)]);
    const run = await runTest(tenant, test);

    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.states).toEqual(['RecordStart', 'RunSteps', 'StepKind', 'RunProbe', 'StepKind', 'RunProbe', 'CompleteTest', 'Verdict', 'Done']);
    expect(run.execution.retries).toEqual([]);
    expect(run.after).toMatchObject({ status: 'passed', failureReasons: [], improvementItemId: null, problemId: null, awaiting: {} });
    expect(run.after.results.map((result) => [result.stepId, result.outcome])).toEqual([
      ['app', 'passed'],
      ['db', 'passed'],
    ]);
    expect(run.after.dataLossMinutes).toBeGreaterThanOrEqual(5);
    expect(run.after.dataLossMinutes).toBeLessThan(15);
    const after = await getPlan(tenant, plan.id);
    expect(after).toMatchObject({ status: 'current', lastTestOutcome: 'passed', lastTestId: test.id });
    expect(Date.parse(after?.nextTestDue ?? '')).toBeGreaterThan(Date.now() + 360 * 86_400_000);
  });

  it('a probe fails: retried twice, test failed, action plan with an improvement item and a problem record', async () => {
    const tenant = newTenant('ct');
    target.state.up = false;
    const hitsBefore = target.state.hits;
    const { plan, test } = await seedTest(tenant, [probeStep('db', target.url)]);
    const run = await runTest(tenant, test);

    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.execution.retries).toEqual(['RunProbe', 'RunProbe']);
    expect(target.state.hits - hitsBefore).toBe(3);
    expect(run.execution.states).toEqual([
      'RecordStart',
      'RunSteps',
      'StepKind',
      'RunProbe',
      'ProbeFailed',
      'CompleteTest',
      'Verdict',
      'OpenActionPlan',
      'Done',
    ]);
    expect(run.after.status).toBe('failed');
    expect(run.after.results[0]).toMatchObject({ stepId: 'db', outcome: 'failed' });
    expect(run.after.results[0]?.detail).toContain('HTTP 503, expected 200');
    expect(run.after.improvementItemId).toBe(`${test.id}-IMP`);
    expect(run.after.problemId).toBe(`${test.id}-PRB`);

    const item = await getActionRecord<import('#shared/domain/continuity/action-plan.js').ImprovementItem>(tenant, 'improvement', `${test.id}-IMP`);
    expect(item).toMatchObject({ status: 'open', owner: 'dana@acme.example', problemId: `${test.id}-PRB`, number: 'IMP0001001' });
    expect(item?.goal).toContain('step db failed');
    expect(Date.parse(item?.deadline ?? '') - Date.parse(item?.createdAt ?? '')).toBe(30 * 86_400_000);
    const problem = await getProblem(tenant, `${test.id}-PRB`);
    expect(problem).toMatchObject({ status: 'new', number: 'PRB0001001', source: { kind: 'continuity_test', testId: test.id, stepIds: ['db'] } });
    expect(await getPlan(tenant, plan.id)).toMatchObject({ status: 'retest_required', lastTestOutcome: 'failed' });
  });

  it('a manual step confirmed: the confirmation is the step result', async () => {
    const tenant = newTenant('ct');
    target.state.up = true;
    const { test } = await seedTest(tenant, [manualStep('failover'), probeStep('app', target.url)]);
    const run = await runTest(tenant, test, {
      during: async (workflows) => {
        const token = await tokenFor(tenant, test.id, 'failover');
        expect(
          workflows.sendTaskSuccess(token, {
            stepId: 'failover',
            outcome: 'passed',
            detail: 'Console shows replica promoted',
            confirmedBy: 'ops-1',
            recoveryPoint: null,
          }),
        ).toBe(true);
      },
    });
    expect(run.execution.states).toEqual([
      'RecordStart',
      'RunSteps',
      'StepKind',
      'AwaitConfirmation',
      'StepKind',
      'RunProbe',
      'CompleteTest',
      'Verdict',
      'Done',
    ]);
    expect(run.after.status).toBe('passed');
    expect(run.after.results[0]).toMatchObject({ stepId: 'failover', outcome: 'passed', detail: 'Console shows replica promoted', confirmedBy: 'ops-1' });
  });

  it('a manual step times out: test failed, improvement item without a problem record (nothing proved defective)', async () => {
    const tenant = newTenant('ct');
    const { test } = await seedTest(tenant, [manualStep('failover')]);
    const run = await runTest(tenant, test, { execution: { taskTimeoutOverrides: { AwaitConfirmation: 200 } } });
    expect(run.execution.states).toEqual([
      'RecordStart',
      'RunSteps',
      'StepKind',
      'AwaitConfirmation',
      'ConfirmationTimedOut',
      'CompleteTest',
      'Verdict',
      'OpenActionPlan',
      'Done',
    ]);
    expect(run.after).toMatchObject({
      status: 'failed',
      failureReasons: ['step failover was not confirmed in time'],
      problemId: null,
      improvementItemId: `${test.id}-IMP`,
    });
    expect(run.after.results[0]).toMatchObject({ stepId: 'failover', outcome: 'timed_out' });
  });

  it('recovery over RTO: failed although every step passed', async () => {
    const tenant = newTenant('ct');
    target.state.up = true;
    const { test } = await seedTest(tenant, [manualStep('restore'), probeStep('app', target.url)], { rtoMinutes: 60 });
    const run = await runTest(tenant, test, {
      during: async (workflows) => {
        const token = await tokenFor(tenant, test.id, 'restore');
        // The restore took 95 minutes of business time.
        advanceClockTo(new Date(now().getTime() + 95 * 60_000));
        workflows.sendTaskSuccess(token, { stepId: 'restore', outcome: 'passed', detail: 'Restored from snapshot', confirmedBy: 'ops-1' });
      },
    });
    expect(run.after.results.every((result) => result.outcome === 'passed')).toBe(true);
    expect(run.after.status).toBe('failed');
    expect(run.after.recoveryMinutes).toBeGreaterThanOrEqual(95);
    expect(run.after.failureReasons).toEqual([expect.stringMatching(/^recovery took 9\d(\.\d+)? min, RTO is 60 min$/)]);
    expect(run.after.problemId).toBeNull();
    expect(run.after.improvementItemId).toBe(`${test.id}-IMP`);
  });

  it('a manual step reported failed by its confirmer: a defect, so a problem record too', async () => {
    const tenant = newTenant('ct');
    const { test } = await seedTest(tenant, [manualStep('failover')]);
    const run = await runTest(tenant, test, {
      during: async (workflows) => {
        const token = await tokenFor(tenant, test.id, 'failover');
        workflows.sendTaskSuccess(token, { stepId: 'failover', outcome: 'failed', detail: 'Replica did not promote', confirmedBy: 'ops-1' });
      },
    });
    expect(run.after).toMatchObject({ status: 'failed', problemId: `${test.id}-PRB` });
  });
});

describe('scheduled continuity tests', () => {
  it('the schedule requests a combined test of a plan still due then (once, however often it fires); a stale schedule does nothing', async () => {
    const { handler } = await import('../../functions/continuity/schedule-plan-test.js');
    const tenant = newTenant('ct');
    target.state.up = true;
    // A probe, not a manual step: the local stack runs the requested test, and a human task would wait for a day.
    const { plan } = await seedTest(tenant, [probeStep('app', target.url)]);
    const run = { scheduled: { tenantId: tenant, planId: plan.id, due: plan.nextTestDue } };
    const first = await handler(run);
    expect(first.action).toBe('requested');
    expect(await handler(run)).toEqual(first);
    const { getTest } = await import('#shared/data/continuity/continuity-repository.js');
    expect(await getTest(tenant, first.testId as string)).toMatchObject({
      planId: plan.id,
      kind: 'combined',
      trigger: 'schedule',
      requestedBy: 'continuity-test',
    });
    expect(await handler({ scheduled: { ...run.scheduled, due: '2020-01-01T00:00:00.000Z' } })).toEqual({ action: 'stale' });
  });
});
