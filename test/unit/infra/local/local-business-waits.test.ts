/**
 * Timestamp waits in the local runner count business time: after
 * `POST /local/clock` moved the clock ahead, a change window or an SLA
 * threshold stated in business time is waited for until the business
 * clock reaches it, not for as long again as the clock was moved.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { advanceClockTo, now } from '#shared/clock.js';
import { createLocalWorkflows } from '../../../../infra/local/local-workflows.js';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const registry = { 'business-wait': { file: 'test/fixtures/business-wait.asl.json', functions: {} } };
const DAY = 86_400_000;

describe('local runner: waits on a timestamp', () => {
  // The clock only moves forward: a day ahead for the whole file.
  advanceClockTo(new Date(Date.now() + DAY));

  it('wait until the business clock reaches the timestamp, however far it was moved', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry });
    const at = new Date(now().getTime() + 300).toISOString();
    const started = Date.now();
    const ended = await workflows.startExecution('business-wait', { at, keep: 'me' });
    expect(ended).toMatchObject({ status: 'SUCCEEDED', output: { at, keep: 'me' } });
    expect(ended.states).toEqual(['WaitForWindow', 'FixedWait', 'Done']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Never early: the business clock has reached the timestamp.
    expect(now().getTime()).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('a timestamp already passed in business time does not wait, though it is ahead of the system clock', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry });
    const at = new Date(now().getTime() - 1000).toISOString();
    expect(Date.parse(at)).toBeGreaterThan(Date.now());
    const started = Date.now();
    expect((await workflows.startExecution('business-wait', { at })).status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('honours waitTimeOverrides by state name, and a stop ends a long wait at once', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry });
    const far = new Date(now().getTime() + 30 * DAY).toISOString();
    expect((await workflows.startExecution('business-wait', { at: far }, { waitTimeOverrides: { WaitForWindow: 0 } })).status).toBe('SUCCEEDED');

    const waiting = workflows.start('business-wait', { at: far }, { name: 'long' });
    if (waiting === 'ExecutionAlreadyExists') throw new Error('unexpected');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(workflows.stop(waiting.executionArn, 'Stopped', 'test')).toBe(true);
    expect((await waiting.result).status).toBe('ABORTED');
  });

  it('a timestamp that is no date fails the execution', async () => {
    const workflows = createLocalWorkflows({ repoRoot, registry });
    expect(await workflows.startExecution('business-wait', { at: 'soon' })).toMatchObject({ status: 'FAILED' });
  });
});
