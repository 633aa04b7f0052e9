/**
 * The local waits run on the business clock (`shared/clock.ts`): a jump of
 * the clock (`POST /local/clock`) wakes at once every wait it passed
 * (Wait states, human-task timeouts, scheduler one-offs), and only those.
 * The clock only moves forward, so each test jumps from where the last left it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { advanceClockTo, now } from '#shared/clock.js';
import { atExpression } from '#shared/events/scheduler.js';
import { atBusinessTime } from '../../../../infra/local/local-clock.js';
import { LocalScheduler } from '../../../../infra/local/local-scheduler.js';
import { createLocalWorkflows } from '../../../../infra/local/local-workflows.js';

const HOUR = 3_600_000;
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const jump = (ms: number) => advanceClockTo(new Date(now().getTime() + ms));
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` (the runner's first start loads and validates its definition, which takes a moment). */
async function until(done: () => boolean): Promise<void> {
  for (let tries = 0; !done() && tries < 200; tries += 1) await settle(25);
}

describe('atBusinessTime', () => {
  it('fires on a jump past its due time, at once, and not on a jump short of it', async () => {
    const fired: string[] = [];
    atBusinessTime(now().getTime() + HOUR, () => fired.push('in an hour'));
    atBusinessTime(now().getTime() + 3 * HOUR, () => fired.push('in three hours'));
    jump(30 * 60_000);
    await settle();
    expect(fired).toEqual([]);
    jump(HOUR);
    expect(fired).toEqual(['in an hour']);
    jump(2 * HOUR);
    expect(fired).toEqual(['in an hour', 'in three hours']);
  });

  it('still fires in real time, and a cancelled wait never fires', async () => {
    const fired: string[] = [];
    atBusinessTime(now().getTime() + 30, () => fired.push('soon'));
    const cancel = atBusinessTime(now().getTime() + HOUR, () => fired.push('cancelled'));
    cancel();
    await settle(100);
    jump(2 * HOUR);
    expect(fired).toEqual(['soon']);
  });
});

describe('a clock jump wakes the local waits', { timeout: 30_000 }, () => {
  it('a scheduler one-off due in two hours fires on a jump of three', async () => {
    const invoked: unknown[] = [];
    const scheduler = new LocalScheduler(async (handler, input) => {
      invoked.push([handler, input]);
    });
    const when = new Date(now().getTime() + 2 * HOUR);
    scheduler.create('ct-plan-2', atExpression(when), 'arn:aws:lambda:local:000000000000:function:continuity__schedule-plan-test', '{"b":2}');
    await settle();
    expect(invoked).toEqual([]);
    jump(3 * HOUR);
    await settle(10);
    expect(invoked).toEqual([['continuity/schedule-plan-test', { b: 2 }]]);
    scheduler.stop();
  });

  it('a Wait state (TimestampPath, then SecondsPath) ends on jumps past it, with its input unchanged', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry: { wait: { file: 'test/fixtures/wait.asl.json', functions: {} } } });
    const input = { until: new Date(now().getTime() + 2 * HOUR).toISOString(), seconds: 7200, note: 'kept' };
    const execution = workflows.start('wait', input);
    if (execution === 'ExecutionAlreadyExists') throw new Error('unexpected');
    await until(() => execution.currentState === 'WaitUntil');
    await settle(300);
    expect(execution.ended).toBeUndefined();
    expect(execution.currentState).toBe('WaitUntil');
    jump(3 * HOUR);
    await settle(100);
    expect(execution.currentState).toBe('WaitSeconds');
    expect(execution.ended).toBeUndefined();
    jump(3 * HOUR);
    const ended = await Promise.race([execution.result, settle(1_000).then(() => 'still waiting')]);
    expect(ended).toEqual({ status: 'SUCCEEDED', output: input, states: ['WaitUntil', 'WaitSeconds', 'Done'], retries: [] });
  });

  it('a human task times out on a jump past its TimeoutSeconds', async () => {
    let asked = false;
    const workflows = createLocalWorkflows({
      repoRoot,
      registry: { 'human-task': { file: 'test/fixtures/human-task.asl.json', functions: { NotifyFunctionArn: 'fixtures/notify' } } },
      functions: {
        'fixtures/notify': async () => {
          asked = true;
          return { delivered: true };
        },
      },
    });
    const execution = workflows.start('human-task', { request: 'approve CHG0002' });
    if (execution === 'ExecutionAlreadyExists') throw new Error('unexpected');
    await until(() => asked);
    await settle(300);
    expect(execution.ended).toBeUndefined();
    jump(2 * HOUR);
    const ended = await Promise.race([execution.result, settle(1_000).then(() => 'still waiting')]);
    expect(ended).toMatchObject({ status: 'FAILED', error: 'NoAnswer' });
  });

  it('a stopped execution lets go of its wait', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry: { wait: { file: 'test/fixtures/wait.asl.json', functions: {} } } });
    const execution = workflows.start('wait', { until: new Date(now().getTime() + 40 * 86_400_000).toISOString(), seconds: 1 });
    if (execution === 'ExecutionAlreadyExists') throw new Error('unexpected');
    await until(() => execution.currentState === 'WaitUntil');
    workflows.stop(execution.executionArn, 'Stopped', 'by the test');
    expect(await execution.result).toMatchObject({ status: 'ABORTED', states: ['WaitUntil'] });
  });
});
