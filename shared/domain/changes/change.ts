/**
 * The change record (RFC) and the pure rules that move it through its life
 * cycle. Each rule returns the new record plus what the data layer audits
 * and announces; nothing here does I/O. Conflicts, the approval policy, the
 * risk questionnaire and templates are handed in by the caller.
 * @module
 */

import { ConflictError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import { type Actor, isStaff } from '#shared/domain/roles.js';
import {
  type Approval,
  type ApprovalDecisionKind,
  type ApprovalSettings,
  castVote,
  type Delegation,
  startApproval,
  timeOutLevel,
  type VoteOutcome,
  voteEligibility,
  voteFacts,
} from './change-approval.js';
import type { CalendarChange, Conflict } from './change-calendar.js';
import { onlyFreezes } from './change-calendar.js';
import { allowedChangeActions, type ChangeAction, type ChangeStatus, type ChangeType, nextChangeStatus } from './change-lifecycle.js';
import { assessRisk, type RiskLevel, type RiskQuestionnaire } from './change-risk.js';
import { checkChangeWindow } from './change-window.js';

/** A pre-approved standard change (ServiceNow's standard change catalogue). */
export interface ChangeTemplate {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly implementationPlan: string;
  readonly testPlan: string;
  readonly backoutPlan: string;
}

export interface ChangeAssessment {
  readonly impact: string;
  readonly resources: string;
  readonly riskAnswers: Readonly<Record<string, string>>;
  /** Does the change affect a continuity plan (seed 000 §3.5)? Such changes call for the plan to be retested. */
  readonly continuityImpact: boolean;
  readonly continuityPlanIds: readonly string[];
  readonly notes: string | null;
  readonly assessedBy: string;
  readonly assessedAt: string;
}

/** A human step of the workflow waiting for its answer: the task token that answer completes. */
export interface PendingTask {
  readonly kind: 'approval' | 'implementation';
  readonly token: string;
  /** 0-based approval level the token waits for. */
  readonly level: number | null;
  readonly since: string;
  /**
   * The answer, once a person gave it; the workflow advancer sends it with
   * the token (SendTaskSuccess). Kept here, never in an event: a task token
   * lets whoever holds it drive the workflow.
   */
  readonly answer: Readonly<Record<string, string>> | null;
}

export interface Change {
  readonly id: string;
  readonly number: string;
  readonly tenantId: string;
  readonly type: ChangeType;
  readonly category: string;
  readonly title: string;
  readonly description: string;
  readonly justification: string;
  readonly implementationPlan: string;
  readonly testPlan: string;
  readonly backoutPlan: string;
  readonly templateId: string | null;
  readonly ciIds: readonly string[];
  readonly serviceIds: readonly string[];
  readonly plannedStart: string;
  readonly plannedEnd: string;
  /** A record of an emergency change made before it was raised: its window may lie in the past (`change-window.ts`). */
  readonly retrospective: boolean;
  readonly requesterId: string;
  readonly status: ChangeStatus;
  readonly risk: RiskLevel | null;
  readonly riskScore: number | null;
  readonly assessment: ChangeAssessment | null;
  /** Flagged when the assessment finds an impact on continuity plans. */
  readonly continuityImpact: boolean;
  readonly approval: Approval | null;
  /** Freezes an emergency change overrides (with the extra approval level). */
  readonly overriddenConflicts: readonly Conflict[];
  /** When the change was put on the calendar (ChangeScheduled). */
  readonly scheduledAt: string | null;
  readonly implementation: { readonly result: 'success' | 'failed'; readonly notes: string; readonly reportedBy: string; readonly at: string } | null;
  /** The change failed and its backout plan was run: counts against the change success rate. */
  readonly rolledBack: boolean;
  readonly review: { readonly notes: string; readonly reviewedBy: string; readonly at: string } | null;
  readonly cancellation: { readonly reason: string; readonly cancelledBy: string } | null;
  readonly pendingTask: PendingTask | null;
  readonly releaseId: string | null;
  readonly statusChangedAt: Readonly<Partial<Record<ChangeStatus, string>>>;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type ChangeEventType =
  | 'ChangeCreated'
  | 'ChangeSubmitted'
  | 'ChangeAssessed'
  | 'ChangeApprovalRequested'
  | 'ChangeApprovalRecorded'
  | 'ChangeApprovalEscalated'
  | 'ChangeApproved'
  | 'ChangeRejected'
  | 'ChangeScheduled'
  | 'ChangeImplementationStarted'
  | 'ChangeImplemented'
  | 'ChangeFailed'
  | 'ChangeClosed'
  | 'ChangeCancelled';

/** The outcome of a rule: the new record and what to audit and announce. */
export interface ChangeMutation extends RecordChange<ChangeEventType, ChangeAction | 'create' | 'request_approval' | 'time_out'> {
  readonly change: Change;
}

export interface NewChangeInput {
  type: ChangeType;
  title: string;
  description: string;
  category?: string | undefined;
  justification: string;
  implementationPlan?: string | undefined;
  testPlan?: string | undefined;
  backoutPlan?: string | undefined;
  templateId?: string | undefined;
  ciIds: string[];
  serviceIds: string[];
  plannedStart: string;
  plannedEnd: string;
  /** Emergency changes only: the change was already made, so the window may have begun. @default false */
  retrospective?: boolean | undefined;
}

export interface ChangeContext {
  readonly actor: Pick<Actor, 'tenantId' | 'userId' | 'roles'>;
  readonly now: string;
}

const AUDITED: readonly (keyof Change)[] = ['status', 'risk', 'riskScore', 'continuityImpact', 'plannedStart', 'plannedEnd', 'rolledBack', 'scheduledAt'];

function diff(before: Change | null, after: Change): FieldChange[] {
  return AUDITED.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

function mutation(
  before: Change,
  after: Change,
  action: ChangeMutation['action'],
  eventType: ChangeEventType,
  facts: Record<string, unknown> = {},
): ChangeMutation {
  return { change: after, action, eventType, changes: diff(before, after), facts };
}

/** The next version of `change`, moved to `status` when given. */
function touched(change: Change, ctx: ChangeContext, patch: Partial<Change>): Change {
  const status = patch.status ?? change.status;
  return {
    ...change,
    ...patch,
    statusChangedAt: status === change.status ? change.statusChangedAt : { ...change.statusChangedAt, [status]: ctx.now },
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: change.version + 1,
  };
}

/**
 * A new change in `new`. A standard change must name a template of the
 * tenant's catalogue and takes its plans from it (it is pre-approved, low
 * risk); normal and emergency changes bring their own plans. The window
 * must lie ahead, unless the record is a retrospective emergency change
 * (`change-window.ts`).
 */
export function createChange(input: NewChangeInput, ids: { id: string; number: string }, ctx: ChangeContext, template: ChangeTemplate | null): ChangeMutation {
  if (!isStaff(ctx.actor)) throw new UnprocessableError('Only staff raise changes.');
  const retrospective = input.retrospective === true;
  checkChangeWindow({ type: input.type, plannedStart: input.plannedStart, plannedEnd: input.plannedEnd, retrospective }, ctx.now);
  if (input.ciIds.length === 0 && input.serviceIds.length === 0) throw new UnprocessableError('Name at least one affected CI or service.');
  let plans: Pick<Change, 'implementationPlan' | 'testPlan' | 'backoutPlan' | 'category'>;
  if (input.type === 'standard') {
    if (!template) throw new UnprocessableError('A standard change needs the id of a pre-approved template (templateId).', { field: 'templateId' });
    plans = {
      implementationPlan: input.implementationPlan ?? template.implementationPlan,
      testPlan: input.testPlan ?? template.testPlan,
      backoutPlan: input.backoutPlan ?? template.backoutPlan,
      category: input.category ?? template.category,
    };
  } else {
    const missing = (['implementationPlan', 'testPlan', 'backoutPlan', 'category'] as const).filter((field) => !input[field]);
    if (input.templateId) throw new UnprocessableError('Only standard changes use templates.', { field: 'templateId' });
    if (missing.length > 0) throw new UnprocessableError(`A ${input.type} change needs: ${missing.join(', ')}.`, { missing });
    plans = {
      implementationPlan: input.implementationPlan as string,
      testPlan: input.testPlan as string,
      backoutPlan: input.backoutPlan as string,
      category: input.category as string,
    };
  }
  const change: Change = {
    id: ids.id,
    number: ids.number,
    tenantId: ctx.actor.tenantId,
    type: input.type,
    title: input.title,
    description: input.description,
    justification: input.justification,
    ...plans,
    templateId: input.type === 'standard' ? (template?.id ?? null) : null,
    ciIds: [...new Set(input.ciIds)],
    serviceIds: [...new Set(input.serviceIds)],
    plannedStart: input.plannedStart,
    plannedEnd: input.plannedEnd,
    retrospective,
    requesterId: ctx.actor.userId,
    status: 'new',
    risk: input.type === 'standard' ? 'low' : null,
    riskScore: null,
    assessment: null,
    continuityImpact: false,
    approval: null,
    overriddenConflicts: [],
    scheduledAt: null,
    implementation: null,
    rolledBack: false,
    review: null,
    cancellation: null,
    pendingTask: null,
    releaseId: null,
    statusChangedAt: { new: ctx.now },
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return {
    change,
    action: 'create',
    eventType: 'ChangeCreated',
    changes: diff(null, change),
    facts: { templateId: change.templateId, ...(retrospective ? { retrospective: true } : {}) },
  };
}

/** What the calendar and conflict detection see of a change. */
export function calendarView(change: Pick<Change, keyof CalendarChange>): CalendarChange {
  const { id, number, title, type, status, ciIds, serviceIds, plannedStart, plannedEnd } = change;
  return { id, number, title, type, status, ciIds, serviceIds, plannedStart, plannedEnd };
}

/** A change whose window conflicts is refused (409) with the list of conflicts. */
export class ChangeConflictError extends ConflictError {
  constructor(readonly conflicts: readonly Conflict[]) {
    super(`The change window conflicts: ${conflicts.map((conflict) => conflict.message).join(' ')}`, { conflicts });
  }
}

/**
 * Submits a change. Its window must still lie ahead (unless the record is
 * retrospective: `change-window.ts`) and be free of conflicts, except that
 * an emergency change may run into freezes only: it then needs the
 * tenant's freeze-override approval level as well. Standard changes go
 * straight to `scheduled`; the others start their approval (normal after
 * assessment).
 */
export function submitChange(change: Change, ctx: ChangeContext, conflicts: readonly Conflict[], settings: ApprovalSettings): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'submit');
  checkChangeWindow(change, ctx.now);
  const override = change.type === 'emergency' && onlyFreezes(conflicts);
  if (conflicts.length > 0 && !override) throw new ChangeConflictError(conflicts);
  const approval = change.type === 'standard' ? null : startApproval(settings[change.type], override ? settings.freezeOverride : null);
  const after = touched(change, ctx, { status, approval, overriddenConflicts: override ? [...conflicts] : [] });
  return mutation(change, after, 'submit', 'ChangeSubmitted', {
    preApproved: change.type === 'standard',
    freezeOverride: override,
    ...(change.retrospective ? { retrospective: true } : {}),
    ...(override ? { overriddenConflicts: conflicts.map((conflict) => conflict.message) } : {}),
  });
}

export interface AssessmentInput {
  readonly impact: string;
  readonly resources: string;
  readonly riskAnswers: Readonly<Record<string, string>>;
  readonly continuityImpact: boolean;
  readonly continuityPlanIds?: readonly string[] | undefined;
  readonly notes?: string | null | undefined;
}

/** Records the assessment of a normal change (impact, risk from the questionnaire, resources, continuity) and sends it to authorisation. */
export function assessChange(change: Change, ctx: ChangeContext, input: AssessmentInput, questionnaire: RiskQuestionnaire): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'assess');
  const { score, risk } = assessRisk(questionnaire, input.riskAnswers);
  const assessment: ChangeAssessment = {
    impact: input.impact,
    resources: input.resources,
    riskAnswers: { ...input.riskAnswers },
    continuityImpact: input.continuityImpact,
    continuityPlanIds: [...(input.continuityPlanIds ?? [])],
    notes: input.notes ?? null,
    assessedBy: ctx.actor.userId,
    assessedAt: ctx.now,
  };
  const after = touched(change, ctx, { status, risk, riskScore: score, assessment, continuityImpact: input.continuityImpact });
  return mutation(change, after, 'assess', 'ChangeAssessed', { continuityPlanIds: assessment.continuityPlanIds });
}

/** The result of a vote. */
export interface VoteResult extends ChangeMutation {
  readonly outcome: VoteOutcome;
}

/** An approver approves or rejects; a reject, or the last level's quorum, decides the change. */
export function voteOnChange(
  change: Change,
  ctx: ChangeContext,
  vote: { decision: ApprovalDecisionKind; comment: string | null },
  delegations: readonly Delegation[],
): VoteResult {
  if (!change.approval || change.status !== 'authorise') {
    nextChangeStatus(change.type, change.status, vote.decision === 'approve' ? 'approve' : 'reject');
    throw new ConflictError('This change has no approval in progress.');
  }
  const cast = castVote(
    change.approval,
    { actor: ctx.actor, requesterId: change.requesterId, decision: vote.decision, comment: vote.comment, now: ctx.now },
    delegations,
  );
  const decided = cast.outcome !== 'recorded';
  const status = cast.outcome === 'rejected' ? nextChangeStatus(change.type, change.status, 'reject') : change.status;
  // The vote that decides the level answers the workflow step waiting for that level, if it is already waiting.
  const waiting = change.pendingTask?.kind === 'approval' && change.pendingTask.level === cast.decision.level ? change.pendingTask : null;
  const pendingTask = decided && waiting ? { ...waiting, answer: { outcome: cast.outcome } } : change.pendingTask;
  const after = touched(change, ctx, { status, approval: cast.approval, pendingTask });
  const eventType: ChangeEventType = cast.outcome === 'approved' ? 'ChangeApproved' : cast.outcome === 'rejected' ? 'ChangeRejected' : 'ChangeApprovalRecorded';
  const facts = voteFacts(change.approval, cast);
  return { ...mutation(change, after, vote.decision === 'approve' ? 'approve' : 'reject', eventType, facts), outcome: cast.outcome };
}

/**
 * Actions people take through the API. The approval workflow performs the
 * others (schedule, start, roll back, expire): they are never a caller's to
 * take, so never listed.
 */
export const PEOPLE_CHANGE_ACTIONS: readonly ChangeAction[] = ['submit', 'assess', 'approve', 'reject', 'complete', 'fail', 'close', 'cancel'];

/**
 * Whether `actor`, who sees the change, may take `action` on it now: staff
 * work changes; approve and reject need a vote that would count
 * (`voteEligibility`: an approver or delegate of the current level, not the
 * requester, not voted yet). The status rule is `allowedChangeActions`.
 */
export function mayTakeChangeAction(
  change: Pick<Change, 'approval' | 'requesterId'>,
  action: ChangeAction,
  voter: { actor: Pick<Actor, 'userId' | 'roles'>; now: string },
  delegations: readonly Delegation[],
): boolean {
  if (!PEOPLE_CHANGE_ACTIONS.includes(action) || !isStaff(voter.actor)) return false;
  if (action !== 'approve' && action !== 'reject') return true;
  return change.approval !== null && !('refused' in voteEligibility(change.approval, { ...voter, requesterId: change.requesterId }, delegations));
}

/** What `actor` may do to the change now: the status allows it and the caller may take it. */
export function changeActionsFor(
  change: Pick<Change, 'type' | 'status' | 'approval' | 'requesterId'>,
  voter: { actor: Pick<Actor, 'userId' | 'roles'>; now: string },
  delegations: readonly Delegation[],
): ChangeAction[] {
  return allowedChangeActions(change.type, change.status).filter((action) => mayTakeChangeAction(change, action, voter, delegations));
}

/** Where the approval stands, as the workflow's approval step reads it. */
export type ApprovalProgress = 'pending' | 'approved' | 'rejected';

export function approvalProgress(change: Change): ApprovalProgress {
  if (change.status === 'rejected' || change.status === 'cancelled' || change.approval?.status === 'rejected' || change.approval?.status === 'expired') {
    return 'rejected';
  }
  return change.approval?.status === 'approved' ? 'approved' : 'pending';
}

/**
 * The workflow asks the current level for its decision: the task token is
 * kept with the pending approval, so the vote that decides the level can
 * complete the task.
 */
export function requestApproval(change: Change, ctx: ChangeContext, token: string): ChangeMutation {
  if (change.status !== 'authorise' || change.approval?.status !== 'pending') {
    throw new ConflictError(`Change ${change.number} is not awaiting approval.`);
  }
  const level = change.approval.currentLevel;
  const after = touched(change, ctx, { pendingTask: { kind: 'approval', token, level, since: ctx.now, answer: null } });
  const approvers = change.approval.levels[level]?.approvers;
  return mutation(change, after, 'request_approval', 'ChangeApprovalRequested', {
    level: level + 1,
    levelName: change.approval.levels[level]?.name,
    approvers,
    escalations: change.approval.escalations,
  });
}

/** The current level timed out: escalate it, or expire the approval (the change is rejected). */
export function timeOutApproval(change: Change, ctx: ChangeContext): ChangeMutation & { outcome: 'escalated' | 'expired' } {
  if (!change.approval || change.status !== 'authorise') throw new ConflictError(`Change ${change.number} is not awaiting approval.`);
  const { approval, outcome } = timeOutLevel(change.approval);
  const level = change.approval.currentLevel + 1;
  if (outcome === 'escalated') {
    const after = touched(change, ctx, { approval, pendingTask: null });
    return { ...mutation(change, after, 'time_out', 'ChangeApprovalEscalated', { level, escalateTo: approval.escalateTo }), outcome };
  }
  const after = touched(change, ctx, { approval, pendingTask: null, status: nextChangeStatus(change.type, change.status, 'expire') });
  return { ...mutation(change, after, 'expire', 'ChangeRejected', { level, outcome: 'expired', reason: 'approval timed out' }), outcome };
}

/**
 * The change takes its window on the calendar. For normal and emergency
 * changes this follows the approval; a standard change is already
 * `scheduled` and is only announced. Conflicts that appeared since
 * submission (a freeze declared meanwhile) are reported in the event, not
 * enforced: the approvers have decided.
 */
export function scheduleChange(change: Change, ctx: ChangeContext, conflicts: readonly Conflict[]): ChangeMutation {
  if (change.scheduledAt !== null) throw new ConflictError(`Change ${change.number} is already scheduled.`);
  if (change.type !== 'standard' && change.approval?.status !== 'approved') throw new ConflictError(`Change ${change.number} is not approved.`);
  const status = change.type === 'standard' ? change.status : nextChangeStatus(change.type, change.status, 'schedule');
  if (status !== 'scheduled') throw new ConflictError(`Change ${change.number} cannot be scheduled from '${change.status}'.`);
  const after = touched(change, ctx, { status, scheduledAt: ctx.now });
  return mutation(change, after, 'schedule', 'ChangeScheduled', {
    plannedStart: change.plannedStart,
    plannedEnd: change.plannedEnd,
    conflicts: conflicts.map((conflict) => conflict.message),
  });
}

/** The window has come: the change is handed over for implementation; the token waits for the report. */
export function startImplementation(change: Change, ctx: ChangeContext, token: string): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'start');
  const after = touched(change, ctx, { status, pendingTask: { kind: 'implementation', token, level: null, since: ctx.now, answer: null } });
  return mutation(change, after, 'start', 'ChangeImplementationStarted', { plannedEnd: change.plannedEnd });
}

/** The implementer reports: success goes to review; failure to rollback (the workflow runs the backout). */
export function reportImplementation(change: Change, ctx: ChangeContext, report: { result: 'success' | 'failed'; notes: string }): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, report.result === 'success' ? 'complete' : 'fail');
  const after = touched(change, ctx, {
    status,
    implementation: { result: report.result, notes: report.notes, reportedBy: ctx.actor.userId, at: ctx.now },
    pendingTask: change.pendingTask?.kind === 'implementation' ? { ...change.pendingTask, answer: { result: report.result } } : null,
  });
  return mutation(change, after, report.result === 'success' ? 'complete' : 'fail', 'ChangeImplemented', { result: report.result });
}

/** The workflow's rollback step: the backout plan ran, the change failed and goes to review. */
export function rollBackChange(change: Change, ctx: ChangeContext): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'rollback');
  const after = touched(change, ctx, { status, rolledBack: true });
  return mutation(change, after, 'rollback', 'ChangeFailed', { backoutPlan: change.backoutPlan });
}

/** The post-implementation review closes the change. */
export function closeChange(change: Change, ctx: ChangeContext, notes: string): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'close');
  const after = touched(change, ctx, { status, review: { notes, reviewedBy: ctx.actor.userId, at: ctx.now } });
  return mutation(change, after, 'close', 'ChangeClosed', { rolledBack: change.rolledBack, result: change.implementation?.result ?? null });
}

/** Cancelled before implementation; the workflow, if any, is stopped by the caller. */
export function cancelChange(change: Change, ctx: ChangeContext, reason: string): ChangeMutation {
  const status = nextChangeStatus(change.type, change.status, 'cancel');
  const after = touched(change, ctx, { status, cancellation: { reason, cancelledBy: ctx.actor.userId }, pendingTask: null });
  return mutation(change, after, 'cancel', 'ChangeCancelled', { reason });
}

/** Change success rate (seed 002 §3.5): 1 − rolled-back / all; null when there are none. */
export function successRate(records: readonly { readonly rolledBack: boolean }[]): number | null {
  if (records.length === 0) return null;
  return 1 - records.filter((record) => record.rolledBack).length / records.length;
}
