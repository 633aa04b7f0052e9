/**
 * The service request's rules: approval on the shared rules (manager,
 * group M of N, levels; reject), stages of parallel tasks (the next stage
 * opens when the last task of one completes; the last one fulfils), a
 * failed task, the clock paused while awaiting the requester, closure,
 * the callback (reopen within the window only), cancellation, and the
 * actions offered per role. Pure: no I/O.
 */
import { describe, expect, it } from 'vitest';
import {
  type CatalogueItem,
  createItem,
  type ItemDefinition,
  type ItemVersion,
  itemDefinitionSchema,
  publishItem,
} from '#shared/domain/requests/catalogue-item.js';
import {
  addTaskNote,
  assignTask,
  autoCloseRequest,
  awaitRequester,
  cancelRequest,
  completeTask,
  confirmRequest,
  failTask,
  nextTargetDue,
  recordCallback,
  recordTargetBreaches,
  replyToRequest,
  requestActionsFor,
  type ServiceRequest,
  submitRequest,
  timeOutRequestApproval,
  voteOnRequest,
} from '#shared/domain/requests/service-request.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';

const T0 = '2030-03-04T09:00:00.000Z'; // a Monday, in office hours (UTC)
const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const actor = (userId: string, ...roles: Role[]): Actor => ({ tenantId: 't1', userId, roles });
const rita = actor('rita', 'requester');
const alex = actor('alex', 'agent');
const morgan = actor('morgan', 'manager');

const TWO_STAGES = {
  stages: [
    {
      name: 'Provision',
      tasks: [
        { key: 'accounts', name: 'Accounts', group: 'identity-ops', targetHours: 2 },
        { key: 'laptop', name: 'Laptop', group: 'desktop', targetHours: 4 },
      ],
    },
    { name: 'Hand over', tasks: [{ key: 'handover', name: 'Hand over', group: 'desktop', targetHours: 1 }] },
  ],
};

function published(definition: Omit<Partial<ItemDefinition>, 'approval'> & { approval?: unknown }): CatalogueItem {
  const parsed = itemDefinitionSchema.parse({ name: 'New starter', category: 'onboarding', plan: TWO_STAGES, ...definition });
  const created = createItem({ definition: parsed, visibility: { audience: 'all' } }, { id: 'I1', code: 'SRV-0001001' }, { actor: morgan, now: T0 });
  return publishItem(created.item, { actor: morgan, now: T0 }, officeHoursCalendar('UTC')).item;
}

function raise(item: CatalogueItem, answers: Record<string, unknown> = {}, now = T0): ServiceRequest {
  return submitRequest(item, item.published as ItemVersion, { answers }, { id: 'R1', number: 'REQ0001001' }, { actor: rita, now }).request;
}

describe('submission', () => {
  it('refuses answers that do not fit the form, listing every field', () => {
    const item = published({
      form: {
        fields: [
          { key: 'a', label: 'A', type: 'text', required: true },
          { key: 'b', label: 'B', type: 'number', required: true },
        ],
      } as never,
    });
    expect(() => raise(item, { c: 1 })).toThrowError(
      expect.objectContaining({ kind: 'unprocessable', errors: expect.arrayContaining([expect.objectContaining({ field: 'answers.a' })]) }),
    );
    try {
      raise(item, { c: 1 });
    } catch (error) {
      expect((error as { errors: { field: string }[] }).errors.map((entry) => entry.field).sort()).toEqual(['answers.a', 'answers.b', 'answers.c']);
    }
  });

  it('without approval goes straight to fulfilment: the first stage opens, task numbers follow the request number', () => {
    const request = raise(published({}));
    expect(request.status).toBe('in_fulfilment');
    expect(request.stage).toBe(0);
    expect(request.tasks.map((task) => task.number)).toEqual(['TASK0001001-1', 'TASK0001001-2']);
    expect(request.statusChangedAt).toMatchObject({ submitted: T0, approved: T0, in_fulfilment: T0 });
    // 15 minutes of office hours; the default 40 business hours of fulfilment = 4 office days (10 h a day).
    expect(request.responseDueAt).toBe(at(T0, 15));
    expect(request.fulfilmentDueAt).toBe('2030-03-08T09:00:00.000Z');
  });

  it('with approval waits for it, with no tasks and no fulfilment clock', () => {
    const request = raise(published({ approval: { kind: 'manager' } }));
    expect(request.status).toBe('awaiting_approval');
    expect(request.tasks).toEqual([]);
    expect(request.fulfilmentDueAt).toBeNull();
  });
});

describe('approval on the shared rules', () => {
  it.each([
    ['the manager', { kind: 'manager' }, [morgan], 'in_fulfilment'],
    [
      'a group, 2 of 3',
      { kind: 'group', group: 'hr', members: ['h1', 'h2', 'h3'], required: 2 },
      [actor('h1', 'requester'), actor('h2', 'requester')],
      'in_fulfilment',
    ],
    [
      'two levels',
      {
        kind: 'levels',
        policy: {
          levels: [
            { name: 'Manager', approvers: { users: [], roles: ['manager'] }, rule: { kind: 'count', required: 1 } },
            { name: 'Owner', approvers: { users: ['owner'], roles: [] }, rule: { kind: 'count', required: 1 } },
          ],
          timeoutHours: 24,
          onTimeout: 'expire',
        },
      },
      [morgan, actor('owner', 'requester')],
      'in_fulfilment',
    ],
  ] as const)('%s approves', (_, approval, voters, status) => {
    let request = raise(published({ approval }));
    for (const [index, voter] of voters.entries()) {
      expect(request.status).toBe('awaiting_approval');
      const result = voteOnRequest(request, { actor: voter, now: at(T0, 5 + index) }, { decision: 'approve', comment: null }, []);
      request = result.request;
    }
    expect(request.status).toBe(status);
    expect(request.respondedAt).toBe(at(T0, 5));
    expect(request.tasks).toHaveLength(2);
  });

  it('any reject rejects; the requester cannot vote; a second vote on a level is refused', () => {
    const request = raise(published({ approval: { kind: 'group', group: 'hr', members: ['h1', 'h2'], required: 2 } }));
    expect(() => voteOnRequest(request, { actor: rita, now: T0 }, { decision: 'approve', comment: null }, [])).toThrowError(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    const once = voteOnRequest(request, { actor: actor('h1', 'requester'), now: T0 }, { decision: 'approve', comment: null }, []).request;
    expect(() => voteOnRequest(once, { actor: actor('h1', 'requester'), now: T0 }, { decision: 'approve', comment: null }, [])).toThrowError(
      expect.objectContaining({ kind: 'conflict' }),
    );
    const rejected = voteOnRequest(once, { actor: actor('h2', 'requester'), now: T0 }, { decision: 'reject', comment: 'no budget' }, []);
    expect(rejected.request.status).toBe('rejected');
    expect(rejected.eventType).toBe('RequestRejected');
    expect(() => voteOnRequest(rejected.request, { actor: morgan, now: T0 }, { decision: 'approve', comment: null }, [])).toThrowError(
      expect.objectContaining({ kind: 'illegal-transition' }),
    );
  });
});

describe('fulfilment', () => {
  it('opens the next stage when the last task of one completes, and fulfils after the last stage (announced in the same write)', () => {
    let request = raise(published({}));
    const first = completeTask(request, { actor: alex, now: at(T0, 30) }, 'TASK0001001-1', 'done');
    expect(first.request.stage).toBe(0);
    expect(first.touchedTasks).toEqual(['TASK0001001-1']);
    const second = completeTask(first.request, { actor: alex, now: at(T0, 60) }, 'TASK0001001-2', 'done');
    expect(second.request.stage).toBe(1);
    expect(second.facts).toMatchObject({ nextStage: 2, openedTasks: ['TASK0001001-3'] });
    expect(second.touchedTasks).toEqual(['TASK0001001-2', 'TASK0001001-3']);
    request = second.request;
    expect(() => completeTask(request, { actor: alex, now: at(T0, 61) }, 'TASK0001001-1', 'again')).toThrowError(expect.objectContaining({ kind: 'conflict' }));
    const last = completeTask(request, { actor: alex, now: at(T0, 90) }, 'TASK0001001-3', 'handed over');
    expect(last.request.status).toBe('fulfilled');
    expect(last.eventType).toBe('RequestTaskCompleted');
    expect(last.following).toEqual([{ eventType: 'RequestFulfilled', facts: expect.objectContaining({ withinTarget: true }) }]);
    expect(last.request.autoCloseAt).toBe(at(at(T0, 90), 5 * 24 * 60));
  });

  it('works tasks like incidents: agents within the group, managers move it (a returned dispatch), requesters never', () => {
    const request = raise(published({}));
    expect(() => assignTask(request, { actor: alex, now: T0 }, 'TASK0001001-1', { group: 'other', assigneeId: null })).toThrowError(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    expect(() => addTaskNote(request, { actor: rita, now: T0 }, 'TASK0001001-1', 'hi')).toThrowError(expect.objectContaining({ kind: 'forbidden' }));
    const own = assignTask(request, { actor: alex, now: T0 }, 'TASK0001001-1', { group: 'identity-ops', assigneeId: 'alex' }).request;
    expect(own.tasks[0]).toMatchObject({ assigneeId: 'alex', dispatch: { count: 1, returned: 0 } });
    const moved = assignTask(own, { actor: morgan, now: T0 }, 'TASK0001001-1', { group: 'other', assigneeId: null });
    expect(moved.request.tasks[0]).toMatchObject({ group: 'other', dispatch: { count: 2, returned: 1 } });
    expect(() => assignTask(request, { actor: alex, now: T0 }, 'TASK0009999-9', { group: 'x', assigneeId: null })).toThrowError(
      expect.objectContaining({ kind: 'unprocessable' }),
    );
  });

  it('a task that cannot be done fails the request and cancels the other open tasks', () => {
    const failed = failTask(raise(published({})), { actor: alex, now: T0 }, 'TASK0001001-2', 'Out of stock');
    expect(failed.request.status).toBe('failed');
    expect(failed.request.failure).toEqual({ reason: 'Out of stock', taskNumber: 'TASK0001001-2', at: T0 });
    expect(failed.request.tasks.map((task) => task.status)).toEqual(['cancelled', 'failed']);
  });

  it('pauses the clocks while awaiting the requester and moves every due time on by the business time paused', () => {
    const request = raise(published({}));
    const waiting = awaitRequester(request, { actor: alex, now: at(T0, 60) }, 'Which office?').request;
    expect(waiting.status).toBe('awaiting_requester');
    expect(() => completeTask(waiting, { actor: alex, now: at(T0, 61) }, 'TASK0001001-1', 'x')).toThrowError(
      expect.objectContaining({ kind: 'illegal-transition' }),
    );
    const resumed = replyToRequest(waiting, { actor: rita, now: at(T0, 180) }, 'Berlin').request;
    expect(resumed.status).toBe('in_fulfilment');
    expect(resumed.tasks[0]?.dueAt).toBe(at(request.tasks[0]?.dueAt as string, 120));
    expect(resumed.fulfilmentDueAt).toBe(at(request.fulfilmentDueAt as string, 120));
  });
});

describe('closure and callback', () => {
  const fulfilled = () => {
    let request = raise(published({ plan: { stages: [{ name: 'Only', tasks: [{ key: 'only', name: 'Only', group: 'desk', targetHours: 1 }] }] } } as never));
    request = completeTask(request, { actor: alex, now: at(T0, 10) }, 'TASK0001001-1', 'done').request;
    return request;
  };

  it('closes on confirmation by the requester, with the callback due two days on', () => {
    const closed = confirmRequest(fulfilled(), { actor: rita, now: at(T0, 20) });
    expect(closed.request.closure).toEqual({ by: 'requester', userId: 'rita', at: at(T0, 20) });
    expect(closed.request.callback).toMatchObject({ status: 'pending', dueAt: at(T0, 20 + 2 * 24 * 60) });
    expect(() => confirmRequest(fulfilled(), { actor: actor('someone', 'requester'), now: T0 })).toThrowError(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('closes by itself only once the auto-close time has come', () => {
    const request = fulfilled();
    expect(autoCloseRequest(request, { actor: alex, now: at(T0, 60) })).toBeNull();
    expect(autoCloseRequest(request, { actor: alex, now: at(T0, 6 * 24 * 60) })?.request.closure?.by).toBe('auto');
  });

  it('reopens on "not satisfied" within the window (the last stage again), and only records it afterwards', () => {
    const closed = confirmRequest(fulfilled(), { actor: rita, now: at(T0, 20) }).request;
    const unhappy = recordCallback(closed, { actor: rita, now: at(T0, 60) }, { satisfied: false, comment: 'Still broken' });
    expect(unhappy.request.status).toBe('in_fulfilment');
    expect(unhappy.following[0]?.eventType).toBe('RequestReopened');
    expect(unhappy.request.tasks.map((task) => [task.number, task.status])).toEqual([
      ['TASK0001001-1', 'complete'],
      ['TASK0001001-1R1', 'open'],
    ]);
    const late = recordCallback(closed, { actor: alex, now: at(T0, 15 * 24 * 60) }, { satisfied: false, comment: null });
    expect(late.request.status).toBe('closed');
    expect(late.facts).toMatchObject({ reopened: false });
    const happy = recordCallback(closed, { actor: alex, now: at(T0, 60) }, { satisfied: true, comment: null }).request;
    expect(() => recordCallback(happy, { actor: alex, now: at(T0, 61) }, { satisfied: false, comment: null })).toThrowError(
      expect.objectContaining({ kind: 'conflict' }),
    );
  });

  it('cancels before the end of fulfilment only', () => {
    const cancelled = cancelRequest(raise(published({})), { actor: rita, now: T0 }, 'Not needed');
    expect(cancelled.request.tasks.every((task) => task.status === 'cancelled')).toBe(true);
    expect(() => cancelRequest(fulfilled(), { actor: rita, now: T0 }, 'late')).toThrowError(expect.objectContaining({ kind: 'illegal-transition' }));
  });
});

describe('allowed actions', () => {
  it.each([
    ['the requester of a request awaiting approval', { approval: { kind: 'manager' } }, rita, ['cancel']],
    ['a manager of a request awaiting approval', { approval: { kind: 'manager' } }, morgan, ['approve', 'reject', 'cancel']],
    ['an agent of a request awaiting approval', { approval: { kind: 'manager' } }, alex, ['cancel']],
    [
      'an agent of a request in fulfilment',
      {},
      alex,
      ['assign_task', 'start_task', 'add_task_note', 'complete_task', 'fail_task', 'await_requester', 'cancel'],
    ],
    ['the requester of a request in fulfilment', {}, rita, ['cancel']],
  ] as const)('%s', (_, definition, who, actions) => {
    expect(requestActionsFor(raise(published(definition as never)), who, T0, [])).toEqual(actions);
  });
});

describe('approval timeouts (shared rules)', () => {
  const policy = (onTimeout: 'escalate' | 'expire') => ({ kind: 'manager', timeoutHours: 4, onTimeout });

  it('escalates once, then expires the approval (rejected); a timer for a wait that is over does nothing', () => {
    const request = raise(published({ approval: policy('escalate') }));
    const first = timeOutRequestApproval(request, { actor: alex, now: at(T0, 240) }, { level: 0, escalations: 0 });
    expect(first?.eventType).toBe('RequestApprovalEscalated');
    expect(first?.request.approval?.levels[0]?.approvers.roles).toContain('tenant-admin');
    expect(timeOutRequestApproval(first?.request as ServiceRequest, { actor: alex, now: at(T0, 241) }, { level: 0, escalations: 0 })).toBeNull();
    const second = timeOutRequestApproval(first?.request as ServiceRequest, { actor: alex, now: at(T0, 480) }, { level: 0, escalations: 1 });
    expect(second?.request.status).toBe('rejected');
    expect(second?.facts).toMatchObject({ outcome: 'expired' });
  });

  it('expires at once with onTimeout expire; nothing once decided', () => {
    const request = raise(published({ approval: policy('expire') }));
    expect(timeOutRequestApproval(request, { actor: alex, now: at(T0, 240) }, { level: 0, escalations: 0 })?.request.status).toBe('rejected');
    const approved = voteOnRequest(request, { actor: morgan, now: at(T0, 5) }, { decision: 'approve', comment: null }, []).request;
    expect(timeOutRequestApproval(approved, { actor: alex, now: at(T0, 240) }, { level: 0, escalations: 0 })).toBeNull();
  });
});

describe("the manager on the requester's profile decides", () => {
  it('only that manager is an approver; no manager on the profile is a 422; no people record leaves it to any manager', () => {
    const item = published({ approval: { kind: 'manager' } });
    const version = item.published as ItemVersion;
    const submit = (requesterManager: string | null | undefined) =>
      submitRequest(item, version, { answers: {}, requesterManager }, { id: 'R1', number: 'REQ0001001' }, { actor: rita, now: T0 }).request;
    const named = submit('bea');
    expect(named.approval?.levels[0]?.approvers).toEqual({ users: ['bea'], roles: [] });
    expect(() => voteOnRequest(named, { actor: morgan, now: at(T0, 5) }, { decision: 'approve', comment: null }, [])).toThrowError(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    const bea = actor('bea', 'requester');
    expect(voteOnRequest(named, { actor: bea, now: at(T0, 5) }, { decision: 'approve', comment: null }, []).request.status).toBe('in_fulfilment');
    expect(() => submit(null)).toThrowError(expect.objectContaining({ kind: 'unprocessable', message: expect.stringMatching(/names no manager/) }));
    expect(submit(undefined).approval?.levels[0]?.approvers).toEqual({ users: [], roles: ['manager'] });
  });
});

describe('response and fulfilment targets', () => {
  it('watches the response first, then the fulfilment; a miss is recorded once and announced, with both when both are missed', () => {
    const request = raise(published({}));
    expect(nextTargetDue(request)).toEqual({ target: 'response', dueAt: request.responseDueAt });
    expect(recordTargetBreaches(request, { actor: alex, now: at(request.responseDueAt, -1) })).toBeNull();
    const late = recordTargetBreaches(request, { actor: alex, now: at(request.responseDueAt, 1) });
    expect(late).toMatchObject({ eventType: 'RequestResponseTargetBreached', facts: { responseDueAt: request.responseDueAt }, following: [] });
    expect(late?.request.respondedAt).toBeNull();
    const after = late?.request as ServiceRequest;
    expect(nextTargetDue(after)).toEqual({ target: 'fulfilment', dueAt: request.fulfilmentDueAt });
    expect(recordTargetBreaches(after, { actor: alex, now: at(request.responseDueAt, 2) })).toBeNull();

    const both = recordTargetBreaches(request, { actor: alex, now: at(request.fulfilmentDueAt as string, 1) });
    expect([both?.eventType, ...(both?.following.map((next) => next.eventType) ?? [])]).toEqual([
      'RequestResponseTargetBreached',
      'RequestFulfilmentTargetBreached',
    ]);
    expect(nextTargetDue(both?.request as ServiceRequest)).toBeNull();
  });

  it('a response in time and a paused or ended request are not watched', () => {
    const request = raise(published({}));
    const [first] = request.tasks;
    const responded = completeTask(request, { actor: alex, now: at(T0, 5) }, first?.number as string, 'Done').request;
    expect(nextTargetDue(responded)).toEqual({ target: 'fulfilment', dueAt: request.fulfilmentDueAt });
    const paused = awaitRequester(responded, { actor: alex, now: at(T0, 6) }, 'Which one?').request;
    expect(nextTargetDue(paused)).toBeNull();
    expect(recordTargetBreaches(paused, { actor: alex, now: at(request.fulfilmentDueAt as string, 60) })).toBeNull();
    const cancelled = cancelRequest(request, { actor: rita, now: at(T0, 1) }, 'No longer needed').request;
    expect(nextTargetDue(cancelled)).toBeNull();
  });
});
