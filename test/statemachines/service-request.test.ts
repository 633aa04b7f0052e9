/**
 * The service request workflow file, executed by the local runner on every
 * path (see request-world.ts: the real ASL, task function and domain rules
 * over an in-memory store that records the events): no approval; one level
 * approved; rejected; approval timed out (expired, and escalated then
 * approved); two stages of tasks; a failed task; confirmed; auto-closed;
 * callback not satisfied → reopened; cancelled while awaiting approval.
 */
import { describe, expect, it } from 'vitest';
import { cancelRequest } from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import {
  agent,
  approvers,
  callback,
  complete,
  confirm,
  createWorld,
  fail,
  groupApproval,
  manager,
  openTasks,
  PLANS,
  requester,
  vote,
} from './request-world.js';

const [ann] = approvers as [Actor, Actor];

describe('service-request workflow (local runner)', () => {
  it('no approval: one stage, confirmed, callback satisfied', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one });
    expect(world.requests.get(id)?.status).toBe('in_fulfilment');
    await world.waiting(id, 'stage');
    const [only] = openTasks(world.requests.get(id) as never);
    world.act(id, agent, complete(only as string));
    await world.waiting(id, 'confirmation');
    world.act(id, requester, confirm);
    world.advance(3);
    await world.waiting(id, 'callback');
    world.act(id, agent, callback(true));
    const result = await execution;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual([
      'RouteByApproval',
      'AwaitStage',
      'StageDone',
      'AwaitConfirmation',
      'ClosureDecided',
      'WaitForCallback',
      'AwaitCallback',
      'CallbackDecided',
      'Closed',
    ]);
    expect(world.eventsOf(id)).toEqual([
      'RequestSubmitted',
      'RequestTaskCompleted',
      'RequestFulfilled',
      'RequestClosed',
      'RequestCallbackDue',
      'RequestCallbackRecorded',
    ]);
    expect(world.events.find((event) => event.type === 'RequestCallbackDue')?.actorId).toBe('request-workflow');
  });

  it('one approval level approved, two stages of tasks: the second stage opens when both tasks of the first complete', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.two, approval: groupApproval() });
    expect(world.requests.get(id)?.status).toBe('awaiting_approval');
    await world.waiting(id, 'approval');
    world.act(id, ann, vote('approve'));
    await world.waiting(id, 'stage', (stored) => stored.wait.kind === 'stage' && stored.wait.stage === 0);
    const [first, second] = openTasks(world.requests.get(id) as never) as [string, string];
    world.act(id, agent, complete(first));
    expect(world.waits.get(id)?.wait).toMatchObject({ kind: 'stage', stage: 0 });
    world.act(id, manager, complete(second));
    await world.waiting(id, 'stage', (stored) => stored.wait.kind === 'stage' && stored.wait.stage === 1);
    const [handover] = openTasks(world.requests.get(id) as never) as [string];
    world.act(id, agent, complete(handover));
    await world.waiting(id, 'confirmation');
    world.act(id, requester, confirm);
    world.advance(3);
    await world.waiting(id, 'callback');
    world.act(id, requester, callback(true));
    const result = await execution;
    expect(result.states).toEqual([
      'RouteByApproval',
      'RequestApproval',
      'ApprovalDecided',
      'AwaitStage',
      'StageDone',
      'AwaitStage',
      'StageDone',
      'AwaitConfirmation',
      'ClosureDecided',
      'WaitForCallback',
      'AwaitCallback',
      'CallbackDecided',
      'Closed',
    ]);
    expect(world.eventsOf(id)).toEqual([
      'RequestSubmitted',
      'RequestApproved',
      'RequestTaskCompleted',
      'RequestTaskCompleted',
      'RequestTaskCompleted',
      'RequestFulfilled',
      'RequestClosed',
      'RequestCallbackDue',
      'RequestCallbackRecorded',
    ]);
    expect(world.requests.get(id)).toMatchObject({ status: 'closed', callback: { status: 'satisfied' } });
  });

  it('rejected: the workflow ends, no task ever opens', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.two, approval: groupApproval() });
    await world.waiting(id, 'approval');
    world.act(id, ann, vote('reject'));
    const result = await execution;
    expect(result).toMatchObject({ status: 'SUCCEEDED', states: ['RouteByApproval', 'RequestApproval', 'ApprovalDecided', 'Rejected'] });
    expect(world.eventsOf(id)).toEqual(['RequestSubmitted', 'RequestRejected']);
    expect(world.requests.get(id)).toMatchObject({ status: 'rejected', tasks: [] });
  });

  it('approval timed out under an expire policy: the request is rejected as expired', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one, approval: groupApproval('expire') }, { taskTimeoutOverrides: { RequestApproval: 30 } });
    const result = await execution;
    expect(result.states).toEqual(['RouteByApproval', 'RequestApproval', 'ApprovalTimedOut', 'TimeoutDecided', 'Expired']);
    expect(world.eventsOf(id)).toEqual(['RequestSubmitted', 'RequestRejected']);
    expect(world.events.at(-1)).toMatchObject({ actorId: 'request-workflow', facts: { outcome: 'expired', reason: 'approval timed out' } });
    expect(world.requests.get(id)).toMatchObject({ status: 'rejected', approval: { status: 'expired' } });
  });

  it("the policy's own timeout (TimeoutSecondsPath from the execution input) fires without any override", async () => {
    const world = createWorld();
    const started = Date.now();
    const { id, execution } = world.raise({ plan: PLANS.one, approval: { ...groupApproval('expire'), timeoutHours: 1 / 3600 } });
    const result = await execution;
    expect(result.states.at(-1)).toBe('Expired');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(world.requests.get(id)?.approval?.status).toBe('expired');
  });

  it('approval timed out under an escalate policy: the tenant admins join, one approves, fulfilment starts', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one, approval: groupApproval('escalate') }, { taskTimeoutOverrides: { RequestApproval: 40 } });
    await world.waiting(id, 'approval', (stored) => stored.wait.kind === 'approval' && stored.wait.escalations === 1);
    const admin: Actor = { tenantId: 'acme', userId: 'ada', roles: ['tenant-admin'] };
    world.act(id, admin, vote('approve'));
    await world.waiting(id, 'stage');
    world.act(id, requester, (request, ctx) => cancelRequest(request, ctx, 'No longer needed.'));
    const result = await execution;
    expect(result.states).toEqual([
      'RouteByApproval',
      'RequestApproval',
      'ApprovalTimedOut',
      'TimeoutDecided',
      'RequestApproval',
      'ApprovalDecided',
      'AwaitStage',
      'StageDone',
      'Cancelled',
    ]);
    expect(world.eventsOf(id)).toEqual(['RequestSubmitted', 'RequestApprovalEscalated', 'RequestApproved', 'RequestCancelled']);
  });

  it('a failed task fails the request and ends the workflow', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.two });
    await world.waiting(id, 'stage');
    const [first] = openTasks(world.requests.get(id) as never) as [string];
    world.act(id, agent, fail(first));
    const result = await execution;
    expect(result.states).toEqual(['RouteByApproval', 'AwaitStage', 'StageDone', 'FulfilmentFailed']);
    expect(world.eventsOf(id)).toEqual(['RequestSubmitted', 'RequestFailed']);
    expect(world.requests.get(id)?.tasks.map((task) => task.status)).toEqual(['failed', 'cancelled']);
  });

  it('auto-closed: nobody confirms within the auto-close days; the callback window then runs out unrecorded', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one });
    await world.waiting(id, 'stage');
    world.act(id, agent, complete(openTasks(world.requests.get(id) as never)[0] as string));
    await world.waiting(id, 'confirmation');
    // Six days on, the item's five have passed: the confirmation wait times out; two days later the callback falls due.
    world.advance(6);
    await world.until(id, (request) => request.status === 'closed');
    world.advance(3);
    await world.waiting(id, 'callback');
    // Then the reopen window (14 days from closure) ends with nothing recorded.
    world.advance(13);
    const result = await execution;
    expect(result.states).toEqual([
      'RouteByApproval',
      'AwaitStage',
      'StageDone',
      'AwaitConfirmation',
      'AutoClose',
      'ClosureDecided',
      'WaitForCallback',
      'AwaitCallback',
      'CallbackWindowOver',
    ]);
    expect(world.eventsOf(id)).toEqual(['RequestSubmitted', 'RequestTaskCompleted', 'RequestFulfilled', 'RequestClosed', 'RequestCallbackDue']);
    expect(world.requests.get(id)).toMatchObject({ status: 'closed', closure: { by: 'auto', userId: 'request-workflow' }, callback: { status: 'pending' } });
  });

  it('callback not satisfied within the window reopens the last stage; the workflow waits on it again and closes once more', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one });
    await world.waiting(id, 'stage');
    world.act(id, agent, complete(openTasks(world.requests.get(id) as never)[0] as string));
    await world.waiting(id, 'confirmation');
    world.act(id, requester, confirm);
    world.advance(3);
    await world.waiting(id, 'callback');
    world.act(id, requester, callback(false));
    expect(world.requests.get(id)).toMatchObject({ status: 'in_fulfilment', reopenCount: 1 });
    await world.waiting(id, 'stage', (stored) => stored.wait.kind === 'stage' && stored.wait.reopenCount === 1);
    const [again] = openTasks(world.requests.get(id) as never) as [string];
    expect(again).toMatch(/R1$/);
    world.act(id, agent, complete(again));
    await world.waiting(id, 'confirmation');
    world.act(id, requester, confirm);
    world.advance(3);
    await world.waiting(id, 'callback', (stored) => stored.wait.kind === 'callback' && stored.wait.reopenCount === 1);
    world.act(id, requester, callback(true));
    const result = await execution;
    expect(result.states.slice(7)).toEqual([
      'CallbackDecided',
      'AwaitStage',
      'StageDone',
      'AwaitConfirmation',
      'ClosureDecided',
      'WaitForCallback',
      'AwaitCallback',
      'CallbackDecided',
      'Closed',
    ]);
    expect(world.eventsOf(id).slice(-8)).toEqual([
      'RequestCallbackDue',
      'RequestCallbackRecorded',
      'RequestReopened',
      'RequestTaskCompleted',
      'RequestFulfilled',
      'RequestClosed',
      'RequestCallbackDue',
      'RequestCallbackRecorded',
    ]);
  });

  it('a decision taken before the step kept its token is answered by the step itself', async () => {
    const world = createWorld();
    const { id, execution } = world.raise({ plan: PLANS.one, approval: groupApproval() });
    // Voting at once, before the workflow's first step ran: the advancer finds no wait yet; the step answers itself.
    world.act(id, ann, vote('reject'));
    const result = await execution;
    expect(result.states).toEqual(['RouteByApproval', 'RequestApproval', 'ApprovalDecided', 'Rejected']);
  });
});
