/** The local stand-in for EventBridge Scheduler keeps far-off `at()` schedules (a yearly continuity test) for their time. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { atExpression } from '#shared/events/scheduler.js';
import { LocalScheduler } from '../../../../infra/local/local-scheduler.js';

afterEach(() => vi.useRealTimers());

describe('LocalScheduler', () => {
  it('a schedule a year ahead fires then, not at once (setTimeout alone would overflow into 1 ms)', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 22, 10) });
    const invoked: unknown[] = [];
    const scheduler = new LocalScheduler(async (handler, input) => {
      invoked.push([handler, input]);
    });
    const when = new Date(Date.UTC(2027, 10, 22, 10));
    expect(scheduler.create('ct-plan-1', atExpression(when), 'arn:aws:lambda:local:000000000000:function:continuity__schedule-plan-test', '{"a":1}')).toBe(
      'created',
    );
    expect(scheduler.create('ct-plan-1', atExpression(when), 'x', '{}')).toBe('exists');
    await vi.advanceTimersByTimeAsync(30 * 86_400_000);
    expect(invoked).toEqual([]);
    await vi.advanceTimersByTimeAsync(335 * 86_400_000 - 1000);
    expect(invoked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(invoked).toEqual([['continuity/schedule-plan-test', { a: 1 }]]);
    scheduler.stop();
  });

  it('stop clears a far-off schedule', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 22, 10) });
    const invoked: unknown[] = [];
    const scheduler = new LocalScheduler(async (handler) => {
      invoked.push(handler);
    });
    scheduler.create('far', atExpression(new Date(Date.UTC(2027, 5, 1))), 'arn:aws:lambda:local:000000000000:function:a__b', '{}');
    await vi.advanceTimersByTimeAsync(40 * 86_400_000);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(400 * 86_400_000);
    expect(invoked).toEqual([]);
  });

  it('one-off semantics: listed by prefix until fired, deleted before firing never fires, gone once fired (ActionAfterCompletion: DELETE)', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const invoked: unknown[] = [];
    const started: unknown[] = [];
    const scheduler = new LocalScheduler(
      async (handler, input) => {
        invoked.push([handler, input]);
      },
      async (arn, input) => {
        started.push([arn, input]);
      },
    );
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:itsm-local-incident-escalation';
    const at = (minutes: number) => atExpression(new Date(Date.UTC(2026, 0, 1) + minutes * 60_000));
    expect(scheduler.create('sla-t-i1-1', at(10), machine, '{"incidentId":"i1"}')).toBe('created');
    expect(scheduler.create('sla-t-i1-2', at(20), machine, '{"incidentId":"i1"}')).toBe('created');
    expect(scheduler.create('sla-t-i2-1', at(10), machine, '{"incidentId":"i2"}')).toBe('created');
    expect(scheduler.names('sla-t-i1-')).toEqual(['sla-t-i1-1', 'sla-t-i1-2']);

    expect(scheduler.delete('sla-t-i1-2')).toBe(true);
    expect(scheduler.delete('sla-t-i1-2')).toBe(false);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    // A state-machine target starts an execution with the input; the deleted one never fired.
    expect(started).toEqual([
      [machine, { incidentId: 'i1' }],
      [machine, { incidentId: 'i2' }],
    ]);
    expect(invoked).toEqual([]);
    expect(scheduler.names('sla-')).toEqual([]);
    expect(scheduler.delete('sla-t-i1-1')).toBe(false);
    expect(scheduler.create('sla-t-i1-1', at(40), machine, '{}')).toBe('created');
    scheduler.stop();
  });
});
