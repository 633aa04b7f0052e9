/**
 * The change approval workflow file, executed by the local runner on every
 * path: the real ASL and the real task function (`createChangeWorkflowTask`)
 * and domain rules over an in-memory change store that records every event
 * the commits would publish. People act through the same domain rules the
 * API handlers call, and their answer reaches the waiting step the way the
 * advancer hands it over (`workflowCommand` → SendTaskSuccess).
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createChangeWorkflowTask } from '../../functions/changes/change-workflow-task.js';
import { createLocalWorkflows, type ExecutionOptions } from '../../infra/local/local-workflows.js';
import {
  assessChange,
  type Change,
  type ChangeEventType,
  type ChangeMutation,
  calendarView,
  cancelChange,
  closeChange,
  createChange,
  reportImplementation,
  submitChange,
  voteOnChange,
} from '../../shared/domain/change.js';
import { type ApprovalSettings, defaultApprovalSettings } from '../../shared/domain/change-approval.js';
import { type ChangeCalendarSettings, defaultChangeCalendarSettings, detectConflicts } from '../../shared/domain/change-calendar.js';
import { defaultRiskQuestionnaire } from '../../shared/domain/change-risk.js';
import { workflowCommand } from '../../shared/domain/change-workflow.js';
import { ConflictError } from '../../shared/domain/errors.js';
import type { Actor, Role } from '../../shared/domain/roles.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TENANT = 'acme';
const HOUR = 3_600_000;
const actor = (userId: string, roles: Role[]): Actor => ({ tenantId: TENANT, userId, roles });
const requester = actor('alice', ['agent']);
const techLead = actor('tom', ['agent']);
const manager = actor('maya', ['manager']);
const admin = actor('ada', ['tenant-admin']);
const cab = ['cab-1', 'cab-2', 'cab-3'].map((id) => actor(id, ['agent']));

/** Tests never wait for the window or a backoff. */
const FAST: ExecutionOptions = { waitTimeOverrides: { WaitForWindow: 0 }, retryIntervalOverrides: { ApprovalTimedOut: 0, Schedule: 0, Rollback: 0 } };

/** Two levels: a technical reviewer, then a CAB of 2 of 3 named members. */
function policies(overrides: Partial<ApprovalSettings['normal']> = {}): ApprovalSettings {
  const defaults = defaultApprovalSettings();
  return {
    ...defaults,
    normal: {
      levels: [
        { name: 'Technical review', approvers: { users: ['tom'], roles: [] }, rule: { kind: 'count', required: 1 } },
        { name: 'CAB', approvers: { users: cab.map((member) => member.userId), roles: [] }, rule: { kind: 'count', required: 2 } },
      ],
      timeoutHours: 48,
      onTimeout: 'expire',
      escalateTo: { users: [], roles: ['tenant-admin'] },
      ...overrides,
    },
  };
}

/** An in-memory change store with optimistic concurrency that records the events commits would publish. */
function createWorld(calendar: ChangeCalendarSettings = defaultChangeCalendarSettings()) {
  const changes = new Map<string, Change>();
  const events: { changeId: string; type: ChangeEventType; actorId: string; facts: Readonly<Record<string, unknown>> }[] = [];
  const workflows = createLocalWorkflows({
    repoRoot: REPO_ROOT,
    functions: {
      'changes/change-workflow-task': (payload) => task(payload as never),
    },
  });
  function commit(mutation: ChangeMutation, by: Actor, expectedVersion: number | null) {
    const current = changes.get(mutation.change.id);
    if (expectedVersion !== null && current?.version !== expectedVersion) throw new ConflictError('changed concurrently');
    changes.set(mutation.change.id, mutation.change);
    events.push({ changeId: mutation.change.id, type: mutation.eventType, actorId: by.userId, facts: mutation.facts });
    advance(mutation);
  }
  /** The advancer: a committed event hands a person's answer to the waiting step. */
  function advance(mutation: ChangeMutation) {
    const command = workflowCommand(mutation.eventType, mutation.change);
    if (command.kind === 'complete') workflows.sendTaskSuccess(command.token, command.output);
    if (command.kind === 'stop')
      workflows.stop(`arn:aws:states:us-east-1:000000000000:execution:itsm-local-change-approval:${command.name}`, 'ChangeCancelled', '');
  }
  const task = createChangeWorkflowTask({
    getChange: async (_tenant, id) => changes.get(id) ?? null,
    saveChange: async (mutation, by, expectedVersion) => commit(mutation, by, expectedVersion),
    listCalendarChanges: async () => [...changes.values()].filter((change) => ['scheduled', 'implement'].includes(change.status)).map(calendarView),
    getCalendar: async () => calendar,
    sendTaskSuccess: async (token, output) => workflows.sendTaskSuccess(token, output) === true,
    sendTaskFailure: async (token, error, cause) => workflows.sendTaskFailure(token, error, cause) === true,
  });
  let sequence = 0;
  const now = () => new Date().toISOString();

  /** A person acts on the change through a domain rule, as the API handler does. */
  function act(id: string, by: Actor, rule: (change: Change, ctx: { actor: Actor; now: string }) => ChangeMutation) {
    const change = changes.get(id) as Change;
    commit(rule(change, { actor: by, now: now() }), by, change.version);
    return changes.get(id) as Change;
  }

  return {
    changes,
    events,
    workflows,
    act,
    /** Raised by alice and submitted (a normal change also assessed), as the API would. */
    raise(type: Change['type'], settings: ApprovalSettings, overrides: { ciIds?: string[]; serviceIds?: string[] } = {}) {
      sequence += 1;
      const start = Date.now() - 1000;
      const created = createChange(
        {
          type,
          title: `Change ${sequence}`,
          description: 'Patch the payment gateway',
          justification: 'Security fix',
          category: 'patching',
          ...(type === 'standard'
            ? { templateId: 'os-patch' }
            : { implementationPlan: 'Roll the fix node by node', testPlan: 'Smoke tests', backoutPlan: 'Redeploy the previous image' }),
          ciIds: overrides.ciIds ?? [`app-${sequence}`],
          serviceIds: overrides.serviceIds ?? ['payments'],
          plannedStart: new Date(start).toISOString(),
          plannedEnd: new Date(start + HOUR).toISOString(),
        },
        { id: `CHANGE${String(sequence).padStart(20, '0')}`, number: `CHG${1000 + sequence}` },
        { actor: requester, now: now() },
        type === 'standard' ? { id: 'os-patch', name: 'OS patch', category: 'patching', implementationPlan: 'i', testPlan: 't', backoutPlan: 'b' } : null,
      );
      commit(created, requester, null);
      const id = created.change.id;
      act(id, requester, (change, ctx) =>
        submitChange(change, ctx, detectConflicts(calendarView(change), [...changes.values()].map(calendarView), calendar), settings),
      );
      if (type === 'normal') {
        act(id, techLead, (change, ctx) =>
          assessChange(
            change,
            ctx,
            {
              impact: 'low',
              resources: 'one engineer',
              continuityImpact: false,
              riskAnswers: { 'users-affected': 'none', complexity: 'simple', tested: 'yes', backout: 'proven', outage: 'no' },
            },
            defaultRiskQuestionnaire(),
          ),
        );
      }
      return id;
    },
    start(id: string, options: ExecutionOptions = {}) {
      const change = changes.get(id) as Change;
      const command = workflowCommand(type(change), change);
      if (command.kind !== 'start') throw new Error(`No workflow to start for ${change.status}`);
      const started = workflows.start('change-approval', command.input, { ...FAST, ...options, name: id });
      if (started === 'ExecutionAlreadyExists') throw new Error('exists');
      return started.result;
    },
    /** Waits until the change satisfies `ready` (the workflow runs in the background). */
    async until(id: string, ready: (change: Change) => boolean) {
      const deadline = Date.now() + 5000;
      while (!ready(changes.get(id) as Change)) {
        if (Date.now() > deadline) throw new Error(`Timed out; change is ${JSON.stringify(changes.get(id)?.status)}`);
        await sleep(5);
      }
      return changes.get(id) as Change;
    },
    eventsOf(id: string) {
      return events.filter((event) => event.changeId === id).map((event) => event.type);
    },
  };
}

/** The event that starts the workflow for a change of this type. */
function type(change: Change): ChangeEventType {
  return change.type === 'normal' ? 'ChangeAssessed' : 'ChangeSubmitted';
}

const awaitingApproval = (level: number) => (change: Change) =>
  change.pendingTask?.kind === 'approval' && change.pendingTask.level === level && !change.pendingTask.answer;
const awaitingImplementation = (change: Change) => change.pendingTask?.kind === 'implementation';
const vote = (decision: 'approve' | 'reject') => (change: Change, ctx: { actor: Actor; now: string }) =>
  voteOnChange(change, ctx, { decision, comment: null }, []);
const report = (result: 'success' | 'failed') => (change: Change, ctx: { actor: Actor; now: string }) =>
  reportImplementation(change, ctx, { result, notes: 'done' });

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
