/**
 * A request's timers: over HTTP the outbox and the `RequestFollowUps` rule
 * arm one-off schedules on the local scheduler (an approval level's timeout,
 * the auto-close when fulfilled, the callback when closed); the scheduled
 * runs themselves are invoked here in process, with this process's clock
 * moved past the due time, so the shared stack's clock stays where the
 * other tests need it. Other tests may jump the stack's clock past a timer
 * of this file, and then the stack runs it first: the checks accept either
 * runner and assert the outcome on the record.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, createGroups, newTenant, pollUntil, syncClockWithStack, useLocalTable } from '../api-client.js';

useLocalTable('ERROR');
const { handler } = await import('../../../functions/requests/schedule-request-follow-ups.js');
const { advanceClockTo, now } = await import('#shared/clock.js');
const { getRequest } = await import('#shared/data/requests/request-repository.js');

type Request = { id: string; status: string; tasks: { number: string }[]; autoCloseAt: string | null };

async function scheduleNames(): Promise<string[]> {
  const listed = (await (await fetch(`${inject('apiUrl')}/local/scheduler/schedules`)).json()) as { Schedules: { Name: string }[] };
  return listed.Schedules.map((schedule) => schedule.Name);
}

/** This process's business time just past `at` (and never behind the stack's). */
async function passed(at: string): Promise<void> {
  await syncClockWithStack();
  const target = Date.parse(at) + 1_000;
  if (target > now().getTime()) advanceClockTo(new Date(target));
}

describe('request follow-ups: approval timeout, auto-close and callback', () => {
  const owner = actorsOf(newTenant('followup'));
  beforeAll(() => createGroups(owner, ['service-desk', 'regional-ops']));

  it('arms the auto-close on fulfilment and closes an unconfirmed request when due; then arms and announces the callback', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'crm' } } });
    const id = raised.body.id;
    const fulfilled = await owner.agent.call<Request>('POST', `/requests/${id}/tasks/${raised.body.tasks[0]?.number}/complete`, {
      body: { outcome: 'Reset.' },
    });
    expect(fulfilled.body.status).toBe('fulfilled');
    const run = (kind: 'auto-close' | 'callback-due') => handler({ scheduled: { kind, tenantId: owner.tenantId, requestId: id } });

    const autoCloseArmed = async () =>
      (await scheduleNames()).some((name) => name.startsWith(`rq-ac-${id}`)) || (await getRequest(owner.tenantId, id))?.status === 'closed';
    expect(await pollUntil(autoCloseArmed, Boolean, 20_000)).toBe(true);
    await passed(fulfilled.body.autoCloseAt as string);
    expect(['closed', 'nothing']).toContain((await run('auto-close')).action);
    expect(await run('auto-close')).toEqual({ action: 'nothing' });
    const closed = await getRequest(owner.tenantId, id);
    expect(closed?.status).toBe('closed');
    expect(closed?.closure?.by).toBe('auto');

    const callbackArmed = async () =>
      (await scheduleNames()).some((name) => name.startsWith(`rq-cb-${id}`)) || (await getRequest(owner.tenantId, id))?.callback?.dueAnnouncedAt != null;
    expect(await pollUntil(callbackArmed, Boolean, 20_000)).toBe(true);
    await passed(closed?.callback?.dueAt as string);
    expect(['announced', 'nothing']).toContain((await run('callback-due')).action);
    expect(await run('callback-due')).toEqual({ action: 'nothing' });
    expect((await getRequest(owner.tenantId, id))?.callback?.dueAnnouncedAt).not.toBeNull();
  });

  it("arms an approval level's timeout when the request starts waiting; the timer escalates the level, then expires the approval", async () => {
    const definition = { ...PASSWORD_RESET, name: 'Admin rights', approval: { kind: 'manager', timeoutHours: 1, onTimeout: 'escalate' } };
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    expect(raised.body.status).toBe('awaiting_approval');
    const id = raised.body.id;
    const read = () => getRequest(owner.tenantId, id);
    const fire = (escalations: number) => handler({ scheduled: { kind: 'approval-timeout', tenantId: owner.tenantId, requestId: id, level: 0, escalations } });

    const armed = async () => (await scheduleNames()).some((name) => name.startsWith(`rq-ap-${id}`)) || ((await read())?.approval?.escalations ?? 0) > 0;
    expect(await pollUntil(armed, Boolean, 20_000)).toBe(true);
    await passed(new Date(now().getTime() + 3_600_000).toISOString());
    expect(['timed out', 'nothing']).toContain((await fire(0)).action);
    expect(await fire(0)).toEqual({ action: 'nothing' });
    const escalated = await read();
    expect(escalated?.approval?.escalations).toBe(1);
    expect(escalated?.approval?.levels[0]?.approvers.roles).toContain('tenant-admin');

    // The escalation arms the level's timer again (from the escalation event); its second timeout expires the approval.
    const rearmed = async () => (await scheduleNames()).filter((name) => name.startsWith(`rq-ap-${id}`)).length > 0 || (await read())?.status === 'rejected';
    expect(await pollUntil(rearmed, Boolean, 20_000)).toBe(true);
    await passed(new Date(now().getTime() + 3_600_000).toISOString());
    expect(['timed out', 'nothing']).toContain((await fire(1)).action);
    const expired = await read();
    expect(expired?.status).toBe('rejected');
    expect(expired?.approval?.status).toBe('expired');
  });
});
