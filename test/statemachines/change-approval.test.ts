/**
 * The change approval workflow file, executed by the local runner on every
 * path (see change-world.ts: the real ASL, task function and domain rules
 * over an in-memory store that records the events), with the emitted
 * events checked on each.
 */
import { describe, expect, it } from 'vitest';
import { cancelChange, closeChange } from '#shared/domain/changes/change.js';
import type { ChangeCalendarSettings } from '#shared/domain/changes/change-calendar.js';
import type { Actor } from '#shared/domain/roles.js';
import { admin, awaitingApproval, awaitingImplementation, cab, createWorld, manager, policies, report, requester, techLead, vote } from './change-world.js';

const HOUR = 3_600_000;

describe('change-approval workflow (local runner)', () => {
  it('standard: pre-approved, straight to the calendar, implemented, in review', async () => {
    const world = createWorld();
    const id = world.raise('standard', policies());
    expect(world.changes.get(id)?.status).toBe('scheduled');
    const execution = world.start(id);
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('success'));
    const result = await execution;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(['RouteByType', 'Schedule', 'WaitForWindow', 'StartImplementation', 'ImplementationResult', 'InReview']);
    expect(world.eventsOf(id)).toEqual(['ChangeCreated', 'ChangeSubmitted', 'ChangeScheduled', 'ChangeImplementationStarted', 'ChangeImplemented']);
    expect(world.changes.get(id)).toMatchObject({ status: 'review', rolledBack: false, approval: null });
  });

  it('normal: approved at each level (1 technical reviewer, then 2 of 3 CAB members), scheduled, implemented, closed', async () => {
    const world = createWorld();
    const id = world.raise('normal', policies());
    const execution = world.start(id);
    await world.until(id, awaitingApproval(0));
    world.act(id, techLead, vote('approve'));
    await world.until(id, awaitingApproval(1));
    world.act(id, cab[0] as Actor, vote('approve'));
    world.act(id, cab[2] as Actor, vote('approve'));
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('success'));
    const result = await execution;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual([
      'RouteByType',
      'RequestApproval',
      'ApprovalDecided',
      'RequestApproval',
      'ApprovalDecided',
      'Schedule',
      'WaitForWindow',
      'StartImplementation',
      'ImplementationResult',
      'InReview',
    ]);
    expect(world.eventsOf(id)).toEqual([
      'ChangeCreated',
      'ChangeSubmitted',
      'ChangeAssessed',
      'ChangeApprovalRequested',
      'ChangeApprovalRecorded',
      'ChangeApprovalRequested',
      'ChangeApprovalRecorded',
      'ChangeApproved',
      'ChangeScheduled',
      'ChangeImplementationStarted',
      'ChangeImplemented',
    ]);
    const requests = world.events.filter((event) => event.changeId === id && event.type === 'ChangeApprovalRequested');
    expect(requests.map((event) => event.facts.level)).toEqual([1, 2]);
    expect(requests.every((event) => event.actorId === 'change-workflow')).toBe(true);
    // The review closes it, after the workflow ended.
    expect(world.act(id, manager, (change, ctx) => closeChange(change, ctx, 'Went to plan'))).toMatchObject({ status: 'closed', rolledBack: false });
    expect(world.eventsOf(id).at(-1)).toBe('ChangeClosed');
  });

  it('normal: rejected at level 2 ends the workflow; no window is taken', async () => {
    const world = createWorld();
    const id = world.raise('normal', policies());
    const execution = world.start(id);
    await world.until(id, awaitingApproval(0));
    world.act(id, techLead, vote('approve'));
    await world.until(id, awaitingApproval(1));
    world.act(id, cab[1] as Actor, vote('approve'));
    world.act(id, cab[2] as Actor, vote('reject'));
    const result = await execution;
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.states.slice(-2)).toEqual(['ApprovalDecided', 'Rejected']);
    expect(world.eventsOf(id).slice(-3)).toEqual(['ChangeApprovalRequested', 'ChangeApprovalRecorded', 'ChangeRejected']);
    expect(world.changes.get(id)).toMatchObject({ status: 'rejected', scheduledAt: null, approval: { status: 'rejected', currentLevel: 1 } });
  });

  it('approval timeout under an expire policy: the change is rejected as expired', async () => {
    const world = createWorld();
    const id = world.raise('normal', policies({ onTimeout: 'expire' }));
    const result = await world.start(id, { taskTimeoutOverrides: { RequestApproval: 30 } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(['RouteByType', 'RequestApproval', 'ApprovalTimedOut', 'TimeoutDecided', 'Expired']);
    expect(world.eventsOf(id).slice(-2)).toEqual(['ChangeApprovalRequested', 'ChangeRejected']);
    expect(world.events.at(-1)?.facts).toMatchObject({ outcome: 'expired', level: 1 });
    expect(world.changes.get(id)).toMatchObject({ status: 'rejected', approval: { status: 'expired' } });
  });

  it("the policy's own timeout (TimeoutSecondsPath from the execution input) fires without any test override", async () => {
    const world = createWorld();
    const id = world.raise('normal', policies({ onTimeout: 'expire', timeoutHours: 1 / 3600 }));
    const started = Date.now();
    const result = await world.start(id);
    expect(result.states).toEqual(['RouteByType', 'RequestApproval', 'ApprovalTimedOut', 'TimeoutDecided', 'Expired']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(world.changes.get(id)?.approval?.status).toBe('expired');
  });

  it('approval timeout under an escalate policy: the escalation approver joins the level and approves; a second timeout expires', async () => {
    const world = createWorld();
    const single = policies({
      onTimeout: 'escalate',
      levels: [{ name: 'CAB', approvers: { users: ['cab-1', 'cab-2'], roles: [] }, rule: { kind: 'count', required: 1 } }],
    });
    const id = world.raise('normal', single);
    const execution = world.start(id, { taskTimeoutOverrides: { RequestApproval: 40 } });
    await world.until(id, (change) => (change.approval?.escalations ?? 0) === 1 && awaitingApproval(0)(change));
    world.act(id, admin, vote('approve'));
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('success'));
    const result = await execution;
    expect(result.states.slice(0, 7)).toEqual([
      'RouteByType',
      'RequestApproval',
      'ApprovalTimedOut',
      'TimeoutDecided',
      'RequestApproval',
      'ApprovalDecided',
      'Schedule',
    ]);
    expect(world.eventsOf(id).slice(3, 8)).toEqual([
      'ChangeApprovalRequested',
      'ChangeApprovalEscalated',
      'ChangeApprovalRequested',
      'ChangeApproved',
      'ChangeScheduled',
    ]);

    const twice = createWorld();
    const other = twice.raise('normal', single);
    const expired = await twice.start(other, { taskTimeoutOverrides: { RequestApproval: 20 } });
    expect(expired.states).toEqual([
      'RouteByType',
      'RequestApproval',
      'ApprovalTimedOut',
      'TimeoutDecided',
      'RequestApproval',
      'ApprovalTimedOut',
      'TimeoutDecided',
      'Expired',
    ]);
    expect(twice.eventsOf(other).slice(-1)).toEqual(['ChangeRejected']);
  });

  it('emergency into a freeze: accepted with the freeze-override level, approved by the ECAB and the override approver', async () => {
    const now = Date.now();
    const freeze: ChangeCalendarSettings = {
      blackouts: [
        {
          id: 'peak',
          name: 'Peak season',
          start: new Date(now - 24 * HOUR).toISOString(),
          end: new Date(now + 24 * HOUR).toISOString(),
          ciIds: [],
          serviceIds: [],
        },
      ],
      maintenanceWindows: [],
    };
    const world = createWorld(freeze);
    const id = world.raise('emergency', policies());
    expect(world.changes.get(id)).toMatchObject({ status: 'authorise', approval: { freezeOverride: true }, overriddenConflicts: [{ kind: 'blackout' }] });
    expect(world.changes.get(id)?.approval?.levels.map((level) => level.name)).toEqual(['Emergency CAB', 'Freeze override']);
    const execution = world.start(id);
    await world.until(id, awaitingApproval(0));
    world.act(id, manager, vote('approve'));
    await world.until(id, awaitingApproval(1));
    expect(() => world.act(id, manager, vote('approve'))).toThrow(/not an approver of level 2/);
    world.act(id, admin, vote('approve'));
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('success'));
    const result = await execution;
    expect(result.states).toEqual([
      'RouteByType',
      'RequestApproval',
      'ApprovalDecided',
      'RequestApproval',
      'ApprovalDecided',
      'Schedule',
      'WaitForWindow',
      'StartImplementation',
      'ImplementationResult',
      'InReview',
    ]);
    expect(world.eventsOf(id)).toEqual([
      'ChangeCreated',
      'ChangeSubmitted',
      'ChangeApprovalRequested',
      'ChangeApprovalRecorded',
      'ChangeApprovalRequested',
      'ChangeApproved',
      'ChangeScheduled',
      'ChangeImplementationStarted',
      'ChangeImplemented',
    ]);
    expect(world.events.find((event) => event.changeId === id && event.type === 'ChangeSubmitted')?.facts).toMatchObject({ freezeOverride: true });
    // The freeze is still there when the change takes its window: reported, not enforced.
    expect(world.events.find((event) => event.changeId === id && event.type === 'ChangeScheduled')?.facts.conflicts).toEqual([
      expect.stringContaining('Peak season'),
    ]);
  });

  it('a normal change into a freeze is refused before any workflow starts', () => {
    const now = Date.now();
    const world = createWorld({
      blackouts: [{ id: 'peak', name: 'Peak', start: new Date(now - HOUR).toISOString(), end: new Date(now + HOUR).toISOString(), ciIds: [], serviceIds: [] }],
      maintenanceWindows: [],
    });
    expect(() => world.raise('normal', policies())).toThrow(/conflicts: Freeze 'Peak'/);
  });

  it('implementation failed: the rollback step marks the change failed and rolled back, then review', async () => {
    const world = createWorld();
    const id = world.raise('standard', policies());
    const execution = world.start(id);
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('failed'));
    const result = await execution;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(['RouteByType', 'Schedule', 'WaitForWindow', 'StartImplementation', 'ImplementationResult', 'Rollback', 'InReview']);
    expect(world.eventsOf(id).slice(-3)).toEqual(['ChangeImplementationStarted', 'ChangeImplemented', 'ChangeFailed']);
    expect(world.events.find((event) => event.changeId === id && event.type === 'ChangeImplemented')?.facts).toEqual({ result: 'failed' });
    expect(world.changes.get(id)).toMatchObject({ status: 'review', rolledBack: true, implementation: { result: 'failed' } });
  });

  it('a level decided before the step stored its token (a fast approver): the step answers at once', async () => {
    const world = createWorld();
    const single = policies({ levels: [{ name: 'CAB', approvers: { users: ['cab-1'], roles: [] }, rule: { kind: 'count', required: 1 } }] });
    const id = world.raise('normal', single);
    world.act(id, cab[0] as Actor, vote('approve'));
    expect(world.changes.get(id)?.approval?.status).toBe('approved');
    const execution = world.start(id);
    await world.until(id, awaitingImplementation);
    world.act(id, requester, report('success'));
    const result = await execution;
    expect(result.states.slice(0, 4)).toEqual(['RouteByType', 'RequestApproval', 'ApprovalDecided', 'Schedule']);
    expect(world.eventsOf(id)).not.toContain('ChangeApprovalRequested');
  });

  it('cancelled while awaiting approval: the workflow is stopped', async () => {
    const world = createWorld();
    const id = world.raise('normal', policies());
    const execution = world.start(id);
    await world.until(id, awaitingApproval(0));
    world.act(id, requester, (change, ctx) => cancelChange(change, ctx, 'Superseded'));
    const result = await execution;
    expect(result).toMatchObject({ status: 'ABORTED', error: 'ChangeCancelled' });
    expect(world.eventsOf(id).slice(-1)).toEqual(['ChangeCancelled']);
  });
});
