/**
 * The timers after fulfilment: over HTTP the outbox and the `RequestFollowUps`
 * rule arm one-off schedules on the local scheduler (auto-close when
 * fulfilled, the callback when closed); the scheduled runs themselves are
 * invoked here in process with this process's clock moved on, so the shared
 * stack's clock stays where the other tests need it.
 */
import { describe, expect, inject, it } from 'vitest';
import { PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, newTenant, pollUntil, useLocalTable } from '../api-client.js';

useLocalTable('ERROR');
const { handler } = await import('../../../functions/requests/schedule-request-follow-ups.js');
const { advanceClockTo, now } = await import('#shared/clock.js');
const { getRequest } = await import('#shared/data/requests/request-repository.js');

const DAY = 24 * 3_600_000;
type Request = { id: string; status: string; tasks: { number: string }[]; autoCloseAt: string | null };

async function scheduleNames(): Promise<string[]> {
  const listed = (await (await fetch(`${inject('apiUrl')}/local/scheduler/schedules`)).json()) as { Schedules: { Name: string }[] };
  return listed.Schedules.map((schedule) => schedule.Name);
}

describe('request follow-ups: auto-close and callback', () => {
  const owner = actorsOf(newTenant('followup'));

  it('arms the auto-close on fulfilment, closes an unconfirmed request when due, then arms and announces the callback', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'crm' } } });
    const fulfilled = await owner.agent.call<Request>('POST', `/requests/${raised.body.id}/tasks/${raised.body.tasks[0]?.number}/complete`, {
      body: { outcome: 'Reset.' },
    });
    expect(fulfilled.body.status).toBe('fulfilled');
    const autoClose = (names: string[]) => names.some((name) => name.startsWith(`rq-ac-${raised.body.id}`));
    expect(autoClose(await pollUntil(scheduleNames, autoClose, 20_000))).toBe(true);

    const run = (kind: 'auto-close' | 'callback-due') => handler({ scheduled: { kind, tenantId: owner.tenantId, requestId: raised.body.id } });
    // Early (a schedule delivered ahead of time): nothing happens.
    expect(await run('auto-close')).toEqual({ action: 'nothing' });
    advanceClockTo(new Date(now().getTime() + 6 * DAY));
    expect(await run('auto-close')).toEqual({ action: 'closed' });
    expect(await run('auto-close')).toEqual({ action: 'nothing' });
    const closed = await getRequest(owner.tenantId, raised.body.id);
    expect(closed?.status).toBe('closed');
    expect(closed?.closure?.by).toBe('auto');

    const callback = (names: string[]) => names.some((name) => name.startsWith(`rq-cb-${raised.body.id}`));
    expect(callback(await pollUntil(scheduleNames, callback, 20_000))).toBe(true);
    advanceClockTo(new Date(now().getTime() + 3 * DAY));
    expect(await run('callback-due')).toEqual({ action: 'announced' });
    expect(await run('callback-due')).toEqual({ action: 'nothing' });
    expect((await getRequest(owner.tenantId, raised.body.id))?.callback?.dueAnnouncedAt).not.toBeNull();
  });

  it("arms an approval level's timeout when the request starts waiting, and the timer escalates then expires it", async () => {
    const definition = { ...PASSWORD_RESET, name: 'Admin rights', approval: { kind: 'manager', timeoutHours: 1, onTimeout: 'escalate' } };
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    expect(raised.body.status).toBe('awaiting_approval');
    const timeout = (names: string[]) => names.filter((name) => name.startsWith(`rq-ap-${raised.body.id}`)).length > 0;
    expect(timeout(await pollUntil(scheduleNames, timeout, 20_000))).toBe(true);

    const fire = (escalations: number) =>
      handler({ scheduled: { kind: 'approval-timeout', tenantId: owner.tenantId, requestId: raised.body.id, level: 0, escalations } });
    advanceClockTo(new Date(now().getTime() + 2 * 3_600_000));
    // Another test may jump the shared stack's clock past this one-hour timer, so the stack's own run of it may come first.
    expect(['timed out', 'nothing']).toContain((await fire(0)).action);
    expect(await fire(0)).toEqual({ action: 'nothing' });
    const escalated = await getRequest(owner.tenantId, raised.body.id);
    expect(escalated?.approval?.escalations).toBe(1);
    // The escalation re-arms the level's timer; its second timeout expires the approval.
    const rearmed = (names: string[]) => names.filter((name) => name.startsWith(`rq-ap-${raised.body.id}`)).length > 1;
    expect(rearmed(await pollUntil(scheduleNames, rearmed, 20_000))).toBe(true);
    expect(['timed out', 'nothing']).toContain((await fire(1)).action);
    expect((await getRequest(owner.tenantId, raised.body.id))?.status).toBe('rejected');
  });
});
