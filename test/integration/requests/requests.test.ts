/**
 * Service request fulfilment over HTTP against the local stack, the issue's
 * "done when": a requester raises "new starter" with a bad form (422 with
 * every field at fault, nothing written), then a good one; the manager
 * approves; two groups complete their tasks; the request is fulfilled,
 * confirmed and closed, and the callback records satisfaction. Another
 * tenant sees 404 at every step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NEW_STARTER, PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, createGroups, eventually, newTenant } from '../api-client.js';

type Task = { number: string; group: string; status: string; stage: number; dispatch: { count: number; returned: number } };
type ServiceRequest = {
  id: string;
  number: string;
  status: string;
  version: number;
  itemVersion: number;
  stage: number | null;
  tasks: Task[];
  approval: { status: string; levels: { outcome: string }[] } | null;
  respondedAt: string | null;
  callback: { status: string; dueAt: string } | null;
  closure: { by: string } | null;
  allowedActions: string[];
  reopenCount: number;
};
type Problem = { status: number; errors?: { field: string; message: string }[] };

const GOOD_ANSWERS = {
  fullName: 'Dana Newhire',
  startDate: '2031-02-03',
  lineManager: 'morgan',
  laptop: 'developer',
  laptopModel: '16-inch',
  systems: ['email', 'vpn'],
  monitors: 2,
};

describe('service requests: the new starter, end to end', () => {
  const owner = actorsOf(newTenant('req'));
  const intruder = actorsOf(newTenant('intruder'));
  const intruders = [intruder.requester, intruder.agent, intruder.manager, intruder.admin];
  let itemId = '';
  let itemCode = '';

  /** Every role of the other tenant gets 404 problem+json for `path`. */
  async function hiddenFromIntruders(method: string, path: string, body?: unknown) {
    for (const actor of intruders) {
      const response = await actor.call<Problem>(method, path, body === undefined ? {} : { body });
      expect(response.status, `${actor.userId} ${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  }

  beforeAll(async () => {
    // The new starter's plan dispatches to these groups: publishing requires them to exist.
    await createGroups(owner, ['service-desk', 'regional-ops', 'network-ops', 'erp-team']);
    const created = await owner.manager.call<{ id: string; code: string; status: string }>('POST', '/catalogue-items', {
      body: { definition: NEW_STARTER },
      headers: { 'idempotency-key': 'new-starter-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body.code).toMatch(/^SRV-\d{7}$/);
    itemId = created.body.id;
    itemCode = created.body.code;
    const published = await owner.manager.call<{ status: string; published: { version: number } }>('POST', `/catalogue-items/${itemId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.published.version).toBe(1);
  });

  it('shows the published item to requesters, never to another tenant', async () => {
    const catalogue = await owner.requester.call<{ items: { code: string; name: string }[] }>('GET', '/catalogue-items');
    expect(catalogue.body.items.map((item) => item.code)).toContain(itemCode);
    const read = await owner.requester.call<{ draft: unknown; published: { definition: { name: string } } }>('GET', `/catalogue-items/${itemCode}`);
    expect(read.status).toBe(200);
    expect(read.body.draft).toBeNull();
    expect(read.body.published.definition.name).toBe('New starter');
    await hiddenFromIntruders('GET', `/catalogue-items/${itemId}`);
    await hiddenFromIntruders('POST', '/requests', { itemId, answers: GOOD_ANSWERS });
    const theirs = await intruder.requester.call<{ items: unknown[] }>('GET', '/catalogue-items');
    expect(theirs.body.items).toEqual([]);
  });

  it('refuses a bad form with every field at fault, writing nothing; then raises, approves, fulfils, closes and calls back', async () => {
    const bad = await owner.requester.call<Problem>('POST', '/requests', {
      body: { itemId, answers: { startDate: '2031-02-30', laptop: 'standard', laptopModel: '14-inch', monitors: 7, shoeSize: 44 } },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors?.map((error) => error.field).sort()).toEqual(
      ['answers.fullName', 'answers.laptopModel', 'answers.lineManager', 'answers.monitors', 'answers.shoeSize', 'answers.startDate'].sort(),
    );
    const none = await owner.requester.call<{ items: unknown[] }>('GET', '/requests');
    expect(none.body.items).toEqual([]);

    const raised = await owner.requester.call<ServiceRequest>('POST', '/requests', {
      body: { itemId: itemCode, answers: GOOD_ANSWERS },
      headers: { 'idempotency-key': 'starter-dana' },
    });
    expect(raised.status).toBe(201);
    expect(raised.body.number).toMatch(/^REQ\d{7}$/);
    expect(raised.body.status).toBe('awaiting_approval');
    expect(raised.body.itemVersion).toBe(1);
    expect(raised.body.tasks).toEqual([]);
    const replay = await owner.requester.call<ServiceRequest>('POST', '/requests', {
      body: { itemId: itemCode, answers: GOOD_ANSWERS },
      headers: { 'idempotency-key': 'starter-dana' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(raised.body.id);
    const id = raised.body.id;
    await hiddenFromIntruders('GET', `/requests/${id}`);
    await hiddenFromIntruders('GET', `/requests/${raised.body.number}`);

    // The requester cannot approve their own request; the manager sees it waiting for them and approves.
    const self = await owner.requester.call<Problem>('POST', `/requests/${id}/approvals`, { body: { decision: 'approve' } });
    expect(self.status).toBe(403);
    const waiting = await owner.manager.call<{ items: { id: string }[] }>('GET', '/requests?queue=awaiting-my-approval');
    expect(waiting.body.items.map((item) => item.id)).toEqual([id]);
    await hiddenFromIntruders('POST', `/requests/${id}/approvals`, { decision: 'approve' });
    const stale = await owner.manager.call<Problem>('POST', `/requests/${id}/approvals`, { body: { decision: 'approve' }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    const approved = await owner.manager.call<ServiceRequest>('POST', `/requests/${id}/approvals`, { body: { decision: 'approve', comment: 'Welcome Dana' } });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('in_fulfilment');
    expect(approved.body.respondedAt).not.toBeNull();
    expect(approved.body.tasks.map((task) => task.group).sort()).toEqual(['regional-ops', 'service-desk']);

    // Each group finds its task in its queue (one Query) and completes it.
    const [accounts, hardware] = ['service-desk', 'regional-ops'].map((group) => approved.body.tasks.find((task) => task.group === group) as Task);
    const queue = await owner.agent.call<{ items: { number: string }[] }>('GET', '/request-tasks?group=service-desk');
    expect(queue.body.items.map((item) => item.number)).toEqual([accounts?.number]);
    const intruderQueue = await intruder.agent.call<{ items: unknown[] }>('GET', '/request-tasks?group=service-desk');
    expect(intruderQueue.body.items).toEqual([]);
    await hiddenFromIntruders('POST', `/requests/${id}/tasks/${accounts?.number}/complete`, { outcome: 'hijacked' });
    const started = await owner.agent.call<ServiceRequest>('POST', `/requests/${id}/tasks/${accounts?.number}/start`);
    expect(started.body.tasks.find((task) => task.number === accounts?.number)?.status).toBe('in_progress');
    const half = await owner.agent.call<ServiceRequest>('POST', `/requests/${id}/tasks/${accounts?.number}/complete`, {
      body: { outcome: 'Accounts created.' },
    });
    expect(half.body.status).toBe('in_fulfilment');
    const desk = actorsOf(owner.tenantId).manager;
    const done = await desk.call<ServiceRequest>('POST', `/requests/${id}/tasks/${hardware?.number}/complete`, { body: { outcome: 'Laptop handed over.' } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('fulfilled');
    const emptied = await owner.agent.call<{ items: unknown[] }>('GET', '/request-tasks?group=service-desk');
    expect(emptied.body.items).toEqual([]);

    // The requester confirms: closed, with the callback due; the callback records satisfaction.
    const confirmed = await owner.requester.call<ServiceRequest>('POST', `/requests/${id}/confirm`);
    expect(confirmed.body.status).toBe('closed');
    expect(confirmed.body.closure?.by).toBe('requester');
    expect(confirmed.body.callback?.status).toBe('pending');
    await hiddenFromIntruders('POST', `/requests/${id}/callback`, { satisfied: false });
    const callback = await owner.agent.call<ServiceRequest>('POST', `/requests/${id}/callback`, { body: { satisfied: true, comment: 'All working.' } });
    expect(callback.body.status).toBe('closed');
    expect(callback.body.callback?.status).toBe('satisfied');
    await hiddenFromIntruders('GET', `/requests/${id}/history`);

    const history = await owner.requester.call<{ items: { action: string }[] }>('GET', `/requests/${id}/history`);
    expect(history.body.items.map((entry) => entry.action)).toEqual([
      'submit',
      'approve',
      'start_task',
      'complete_task',
      'complete_task',
      'confirm',
      'record_callback',
    ]);
    const events = await eventually(owner.tenantId, (all) => all.some((event) => event['detail-type'] === 'RequestCallbackRecorded'));
    expect(events.filter((event) => event.source === 'itsm.requests' && event.detail.requestId === id).map((event) => event['detail-type'])).toEqual([
      'RequestSubmitted',
      'RequestApproved',
      'RequestTaskStarted',
      'RequestTaskCompleted',
      'RequestTaskCompleted',
      'RequestFulfilled',
      'RequestClosed',
      'RequestCallbackRecorded',
    ]);
    const theirEvents = await eventually(intruder.tenantId, () => true);
    expect(theirEvents.filter((event) => event.source === 'itsm.requests')).toEqual([]);
  });

  it('keeps a request on the version it was raised against when the item is republished', async () => {
    const raised = await owner.requester.call<ServiceRequest>('POST', '/requests', { body: { itemId, answers: { ...GOOD_ANSWERS, fullName: 'Eli' } } });
    const item = await owner.manager.call<{ version: number }>('GET', `/catalogue-items/${itemId}`);
    const changed = { ...NEW_STARTER, approval: { kind: 'none' } };
    const put = await owner.manager.call('PUT', `/catalogue-items/${itemId}`, {
      body: { definition: changed },
      headers: { 'if-match': `"${item.body.version}"` },
    });
    expect(put.status).toBe(200);
    await owner.manager.call('POST', `/catalogue-items/${itemId}/publish`);
    const read = await owner.requester.call<ServiceRequest>('GET', `/requests/${raised.body.id}`);
    expect(read.body.itemVersion).toBe(1);
    expect(read.body.status).toBe('awaiting_approval');
    const next = await owner.requester.call<ServiceRequest>('POST', '/requests', { body: { itemId, answers: { ...GOOD_ANSWERS, fullName: 'Fay' } } });
    expect(next.body.itemVersion).toBe(2);
    expect(next.body.status).toBe('in_fulfilment');
  });

  it('publishes an item only when every task goes to an active group of the tenant', async () => {
    const plan = { stages: [{ name: 'Do', tasks: [{ key: 'do', name: 'Do it', group: 'ghost-team', targetHours: 1 }] }] };
    const draft = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: { ...PASSWORD_RESET, plan } } });
    const refused = await owner.manager.call<Problem & { errors: { field: string }[] }>('POST', `/catalogue-items/${draft.body.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error) => error.field)).toEqual(['definition.plan.stages[0].tasks[0].group']);
    expect((await owner.manager.call<{ status: string }>('GET', `/catalogue-items/${draft.body.id}`)).body.status).toBe('draft');
  });

  it('runs a standard item without approval; a returned dispatch counts; a failed task fails the request; not satisfied reopens', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const first = await owner.requester.call<ServiceRequest>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    expect(first.body.status).toBe('in_fulfilment');
    const task = first.body.tasks[0] as Task;
    const agentMove = await owner.agent.call<Problem>('POST', `/requests/${first.body.id}/tasks/${task.number}/assign`, { body: { group: 'erp-team' } });
    expect(agentMove.status).toBe(403);
    const moved = await owner.manager.call<ServiceRequest>('POST', `/requests/${first.body.id}/tasks/${task.number}/assign`, { body: { group: 'erp-team' } });
    expect(moved.body.tasks[0]?.dispatch).toEqual({ count: 2, returned: 1 });
    // Only to a group that exists: 422 naming the field, the task stays where it is.
    const nowhere = await owner.manager.call<Problem & { errors: { field: string }[] }>('POST', `/requests/${first.body.id}/tasks/${task.number}/assign`, {
      body: { group: 'no-such-group' },
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.errors.map((error) => error.field)).toEqual(['group']);
    expect((await owner.agent.call<ServiceRequest>('GET', `/requests/${first.body.id}`)).body.tasks[0]?.group).toBe('erp-team');
    const queue = await owner.agent.call<{ items: { number: string }[] }>('GET', '/request-tasks?group=erp-team');
    expect(queue.body.items.map((entry) => entry.number)).toEqual([task.number]);
    const failed = await owner.agent.call<ServiceRequest>('POST', `/requests/${first.body.id}/tasks/${task.number}/fail`, {
      body: { reason: 'Account is locked by audit.' },
    });
    expect(failed.body.status).toBe('failed');

    const second = await owner.requester.call<ServiceRequest>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'email' } } });
    const reset = second.body.tasks[0] as Task;
    await owner.agent.call('POST', `/requests/${second.body.id}/tasks/${reset.number}/complete`, { body: { outcome: 'Reset.' } });
    await owner.requester.call('POST', `/requests/${second.body.id}/confirm`);
    const unhappy = await owner.requester.call<ServiceRequest>('POST', `/requests/${second.body.id}/callback`, {
      body: { satisfied: false, comment: 'Still cannot log in.' },
    });
    expect(unhappy.body.status).toBe('in_fulfilment');
    expect(unhappy.body.reopenCount).toBe(1);
    expect(unhappy.body.tasks.filter((one) => one.status === 'open')).toHaveLength(1);
  });
});
