/**
 * The task function of `statemachines/change-approval.asl.json`: one entry
 * point, a step per Task state. Human steps (`requestApproval`,
 * `startImplementation`) receive the task token and keep it on the change;
 * their answer comes later through the API and the advancer. Every step is
 * safe to retry: it re-reads the change and does nothing twice. Throws on
 * failure, so the state machine's Retry and Catch apply.
 * @module
 */
import { now } from '#shared/clock.js';
import * as repository from '#shared/data/changes/change-repository.js';
import { CHANGE_CALENDAR_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import { getSetting } from '#shared/data/settings-repository.js';
import {
  approvalProgress,
  type Change,
  type ChangeMutation,
  calendarView,
  requestApproval,
  rollBackChange,
  scheduleChange,
  startImplementation,
  timeOutApproval,
} from '#shared/domain/changes/change.js';
import { type CalendarChange, type ChangeCalendarSettings, detectConflicts } from '#shared/domain/changes/change-calendar.js';
import { CONFLICT_STATUSES } from '#shared/domain/changes/change-lifecycle.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import * as stepFunctions from '#shared/workflows/step-functions.js';

export interface ChangeWorkflowTaskInput {
  readonly step: 'requestApproval' | 'approvalTimedOut' | 'schedule' | 'startImplementation' | 'rollback';
  readonly tenantId: string;
  readonly changeId: string;
  readonly TaskToken?: string;
}

/** The workflow acts as this user in audit entries and events. */
export const WORKFLOW_USER = 'change-workflow';

function tokenOf(input: ChangeWorkflowTaskInput): string {
  if (!input.TaskToken) throw new Error(`Step ${input.step} needs the task token.`);
  return input.TaskToken;
}

/** What the steps read, write and call: the data layer and Step Functions in Lambda, fakes in path tests. */
export interface ChangeWorkflowDeps {
  readonly getChange: (tenantId: string, changeId: string) => Promise<Change | null>;
  readonly saveChange: (mutation: ChangeMutation, actor: Actor, expectedVersion: number, ifMatch: boolean) => Promise<void>;
  readonly listCalendarChanges: (tenantId: string, before?: string, statuses?: readonly Change['status'][]) => Promise<CalendarChange[]>;
  readonly getCalendar: (tenantId: string) => Promise<ChangeCalendarSettings>;
  readonly sendTaskSuccess: (token: string, output: unknown) => Promise<boolean>;
  readonly sendTaskFailure: (token: string, error: string, cause: string) => Promise<boolean>;
  readonly now?: () => Date;
}

/** The task function over `deps`. */
export function createChangeWorkflowTask(deps: ChangeWorkflowDeps): (input: ChangeWorkflowTaskInput) => Promise<unknown> {
  const { getChange, saveChange, listCalendarChanges, sendTaskSuccess, sendTaskFailure } = deps;
  const clock = deps.now ?? now;

  /** Reads the change, decides with `step`, writes; a write race with a person is retried on a fresh read. */
  async function advance<T>(
    input: ChangeWorkflowTaskInput,
    step: (change: Change, actor: Actor, now: string) => { mutation: ChangeMutation | null; answer: T },
  ): Promise<T> {
    const actor: Actor = { tenantId: input.tenantId, userId: WORKFLOW_USER, roles: [] };
    return retryOnConflict(async () => {
      const change = await getChange(input.tenantId, input.changeId);
      if (!change) throw new NotFoundError(`Change ${input.changeId} was not found.`);
      const { mutation, answer } = step(change, actor, clock().toISOString());
      if (mutation) await saveChange(mutation, actor, change.version, false);
      return answer;
    });
  }

  return async function changeWorkflowTask(input: ChangeWorkflowTaskInput): Promise<unknown> {
    switch (input.step) {
      case 'requestApproval': {
        const token = tokenOf(input);
        const decided = await advance(input, (change, actor, now) => {
          const progress = approvalProgress(change);
          if (progress !== 'pending') return { mutation: null, answer: progress };
          // A retried invocation with the token already stored writes nothing again.
          if (change.pendingTask?.token === token) return { mutation: null, answer: null };
          return { mutation: requestApproval(change, { actor, now }, token), answer: null };
        });
        // Decided before the token was stored (a fast approver): answer at once.
        if (decided) await sendTaskSuccess(token, { outcome: decided });
        return { requested: decided === null };
      }
      case 'approvalTimedOut':
        return advance(input, (change, actor, now) => {
          const progress = approvalProgress(change);
          if (progress !== 'pending') return { mutation: null, answer: { outcome: progress } };
          // The level the timed-out token waited for was decided at the same moment: ask the next one.
          if (change.pendingTask?.kind === 'approval' && change.pendingTask.level !== change.approval?.currentLevel) {
            return { mutation: null, answer: { outcome: 'level_approved' } };
          }
          const mutation = timeOutApproval(change, { actor, now });
          return { mutation, answer: { outcome: mutation.outcome } };
        });
      case 'schedule': {
        const calendar = await deps.getCalendar(input.tenantId);
        const current = await getChange(input.tenantId, input.changeId);
        const others = current ? await listCalendarChanges(input.tenantId, current.plannedEnd, CONFLICT_STATUSES) : [];
        return advance(input, (change, actor, now) => {
          if (change.scheduledAt !== null) return { mutation: null, answer: { plannedStart: change.plannedStart } };
          const conflicts = detectConflicts(calendarView(change), others, calendar);
          return { mutation: scheduleChange(change, { actor, now }, conflicts), answer: { plannedStart: change.plannedStart } };
        });
      }
      case 'startImplementation': {
        const token = tokenOf(input);
        const outcome = await advance(input, (change, actor, now) => {
          if (change.status === 'scheduled') return { mutation: startImplementation(change, { actor, now }, token), answer: 'waiting' as const };
          if (change.status === 'implement' && change.pendingTask?.token === token) return { mutation: null, answer: 'waiting' as const };
          // Reported already (a retried step), or cancelled meanwhile.
          if (change.implementation) return { mutation: null, answer: change.implementation.result };
          return { mutation: null, answer: 'gone' as const };
        });
        if (outcome === 'success' || outcome === 'failed') await sendTaskSuccess(token, { result: outcome });
        if (outcome === 'gone') await sendTaskFailure(token, 'ChangeNotImplementable', `Change ${input.changeId} is not scheduled for implementation.`);
        return { waiting: outcome === 'waiting' };
      }
      case 'rollback':
        return advance(input, (change, actor, now) => {
          if (change.rolledBack) return { mutation: null, answer: { rolledBack: true } };
          return { mutation: rollBackChange(change, { actor, now }), answer: { rolledBack: true } };
        });
    }
  };
}

/** The Lambda handler: the data layer and Step Functions. */
const handle = createChangeWorkflowTask({
  getChange: repository.getChange,
  saveChange: repository.saveChange,
  listCalendarChanges: repository.listCalendarChanges,
  getCalendar: async (tenantId) => (await getSetting(CHANGE_CALENDAR_SETTING, tenantId)).value,
  sendTaskSuccess: stepFunctions.sendTaskSuccess,
  sendTaskFailure: stepFunctions.sendTaskFailure,
});

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('changes/change-workflow-task', handle);
