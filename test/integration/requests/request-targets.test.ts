/**
 * A request's response and fulfilment targets, watched as an incident's
 * SLA is: over HTTP the outbox and the `WatchRequestTargets` rule arm one
 * one-off schedule on the local scheduler at the next unmet due time; the
 * scheduled run itself is invoked here in process with this process's
 * clock moved past it (the shared stack's clock stays where the other tests
 * need it). A missed target is recorded once and announced; a met one is
 * not; the next target's schedule follows.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, createGroups, eventually, newTenant, pollUntil, syncClockWithStack, useLocalTable } from '../api-client.js';

useLocalTable('ERROR');
const { handler } = await import('../../../functions/requests/watch-request-targets.js');
const { advanceClockTo, now } = await import('#shared/clock.js');
const { getRequest } = await import('#shared/data/requests/request-repository.js');

type Request = { id: string; tasks: { number: string }[]; responseDueAt: string; fulfilmentDueAt: string };

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

describe('request targets: response and fulfilment breaches', () => {
  const owner = actorsOf(newTenant('reqsla'));
  beforeAll(() => createGroups(owner, ['service-desk']));

  it('arms the response watch on submission; a missed response is announced once, then the fulfilment target is watched and announced', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'crm' } } });
    const id = raised.body.id;
    const armed = async () =>
      (await scheduleNames()).some((name) => name.startsWith(`rq-sla-${id}-`)) || (await getRequest(owner.tenantId, id))?.breaches?.response != null;
    expect(await pollUntil(armed, Boolean, 20_000)).toBe(true);

    await passed(raised.body.responseDueAt);
    const run = () => handler({ watch: { tenantId: owner.tenantId, requestId: id } });
    const first = await run();
    const afterResponse = await getRequest(owner.tenantId, id);
    expect(afterResponse?.breaches?.response).not.toBeNull();
    // The fulfilment target (one business hour) lies ahead still: its watch is armed.
    expect(first.armed ?? '').toMatch(new RegExp(`^rq-sla-${id}-`));
    expect((await run()).breaches?.response).toBe(afterResponse?.breaches?.response);

    await passed(raised.body.fulfilmentDueAt);
    const second = await run();
    expect(second.armed).toBeNull();
    expect(second.breaches?.fulfilment).not.toBeNull();
    const events = await eventually(owner.tenantId, (all) => all.some((event) => event['detail-type'] === 'RequestFulfilmentTargetBreached'));
    const breaches = events.filter((event) => event.detail.requestId === id && event['detail-type'].endsWith('TargetBreached'));
    expect(breaches.map((event) => event['detail-type'])).toEqual(['RequestResponseTargetBreached', 'RequestFulfilmentTargetBreached']);
    expect(breaches[0]?.detail.facts).toEqual({ responseDueAt: raised.body.responseDueAt });
  });

  it('a target met in time is not announced', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    const id = raised.body.id;
    // The desk responds (starts the task) and fulfils it within the hour.
    await owner.agent.call('POST', `/requests/${id}/tasks/${raised.body.tasks[0]?.number}/start`);
    await owner.agent.call('POST', `/requests/${id}/tasks/${raised.body.tasks[0]?.number}/complete`, { body: { outcome: 'Reset.' } });
    await passed(raised.body.fulfilmentDueAt);
    const result = await handler({ watch: { tenantId: owner.tenantId, requestId: id } });
    expect(result).toEqual({ armed: null, breaches: { response: null, fulfilment: null } });
  });
});
