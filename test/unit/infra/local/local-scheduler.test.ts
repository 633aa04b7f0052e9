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
});
