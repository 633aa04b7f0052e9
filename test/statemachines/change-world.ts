/**
 * An in-memory change world for running the change approval workflow with
 * the local runner: the real ASL, the real task function
 * (`createChangeWorkflowTask`) and domain rules over a change store with
 * optimistic concurrency that records every event the commits would
 * publish. People act through the same domain rules the API handlers call;
 * their answers reach the waiting step as the advancer hands them over
 * (`workflowCommand` → SendTaskSuccess). Used by the path tests and the
 * transitions benchmark.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  assessChange,
  type Change,
  type ChangeEventType,
  type ChangeMutation,
  calendarView,
  createChange,
  reportImplementation,
  submitChange,
  voteOnChange,
} from '#shared/domain/changes/change.js';
import { type ApprovalSettings, defaultApprovalSettings } from '#shared/domain/changes/change-approval.js';
import { type ChangeCalendarSettings, defaultChangeCalendarSettings, detectConflicts } from '#shared/domain/changes/change-calendar.js';
import { CONFLICT_STATUSES } from '#shared/domain/changes/change-lifecycle.js';
import { defaultRiskQuestionnaire } from '#shared/domain/changes/change-risk.js';
import { workflowCommand } from '#shared/domain/changes/change-workflow.js';
import { ConflictError } from '#shared/domain/errors.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { createChangeWorkflowTask } from '../../functions/changes/change-workflow-task.js';
import { createLocalWorkflows, type ExecutionOptions } from '../../infra/local/local-workflows.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TENANT = 'acme';
const HOUR = 3_600_000;
const actor = (userId: string, roles: Role[]): Actor => ({ tenantId: TENANT, userId, roles });
export const requester = actor('alice', ['agent']);
export const techLead = actor('tom', ['agent']);
export const manager = actor('maya', ['manager']);
export const admin = actor('ada', ['tenant-admin']);
export const cab = ['cab-1', 'cab-2', 'cab-3'].map((id) => actor(id, ['agent']));

/** Tests never wait for the window or a backoff. */
export const FAST: ExecutionOptions = { waitTimeOverrides: { WaitForWindow: 0 }, retryIntervalOverrides: { ApprovalTimedOut: 0, Schedule: 0, Rollback: 0 } };

/** Two levels: a technical reviewer, then a CAB of 2 of 3 named members. */
export function policies(overrides: Partial<ApprovalSettings['normal']> = {}): ApprovalSettings {
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
export function createWorld(calendar: ChangeCalendarSettings = defaultChangeCalendarSettings()) {
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
    listCalendarChanges: async (_tenant, _before, statuses = ['scheduled', 'implement']) =>
      [...changes.values()].filter((change) => statuses.includes(change.status)).map(calendarView),
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
        submitChange(
          change,
          ctx,
          detectConflicts(calendarView(change), [...changes.values()].filter((other) => CONFLICT_STATUSES.includes(other.status)).map(calendarView), calendar),
          settings,
        ),
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

export const awaitingApproval = (level: number) => (change: Change) =>
  change.pendingTask?.kind === 'approval' && change.pendingTask.level === level && !change.pendingTask.answer;
export const awaitingImplementation = (change: Change) => change.pendingTask?.kind === 'implementation';
export const vote = (decision: 'approve' | 'reject') => (change: Change, ctx: { actor: Actor; now: string }) =>
  voteOnChange(change, ctx, { decision, comment: null }, []);
export const report = (result: 'success' | 'failed') => (change: Change, ctx: { actor: Actor; now: string }) =>
  reportImplementation(change, ctx, { result, notes: 'done' });
