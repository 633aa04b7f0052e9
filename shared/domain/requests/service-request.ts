/**
 * The service request (`REQ…`) and its fulfilment tasks (`TASK…`), and the
 * pure rules that move them: submitted → awaiting approval → approved /
 * rejected → in fulfilment → fulfilled → closed (the requester confirms,
 * or it closes by itself after the item's days) · cancelled · failed (a task
 * that cannot be done). Tasks live on the request, so every rule sees the
 * whole request and a stage's completion, the next stage and fulfilment are
 * decided in one write; the data layer projects each open task into its
 * group's queue. Approval is the shared approval rule set; targets are
 * counted in the item version's business calendar by the SLA engine's
 * calendar arithmetic. Nothing here does I/O.
 * @module
 */
import {
  type Approval,
  type ApprovalDecisionKind,
  castVote,
  type Delegation,
  startApproval,
  timeOutLevel,
  type VoteOutcome,
  voteEligibility,
  voteFacts,
} from '#shared/domain/approvals/approval-rules.js';
import { ConflictError, ForbiddenError, IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import { type Actor, hasRole, isStaff } from '#shared/domain/roles.js';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from '#shared/domain/sla/business-calendar.js';
import { approvalPolicyOf, type CatalogueItem, type DELIVERY_MODES, type ItemDefinition, type ItemVersion, type RequesterManager } from './catalogue-item.js';
import { type FormAnswers, keptAnswers, validateAnswers } from './request-form.js';

export const REQUEST_STATUSES = [
  'submitted',
  'awaiting_approval',
  'approved',
  'rejected',
  'in_fulfilment',
  'awaiting_requester',
  'fulfilled',
  'closed',
  'cancelled',
  'failed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const TASK_STATUSES = ['open', 'in_progress', 'complete', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskNote {
  readonly by: string;
  readonly at: string;
  readonly body: string;
}

export interface RequestTask {
  /** `TASK0001001-2`: the request's digits and the task's place in the plan (no counter call per task). */
  readonly number: string;
  readonly key: string;
  readonly name: string;
  /** 0-based stage. */
  readonly stage: number;
  readonly group: string;
  readonly assigneeId: string | null;
  readonly status: TaskStatus;
  readonly deliveryMode: (typeof DELIVERY_MODES)[number];
  readonly instructions: string;
  readonly openedAt: string;
  readonly dueAt: string;
  /** Dispatches to a group, and how many the group handed back (first-time dispatch KPI, as incidents). */
  readonly dispatch: { readonly count: number; readonly returned: number };
  readonly notes: readonly TaskNote[];
  readonly completedAt: string | null;
  readonly completedBy: string | null;
  readonly outcome: string | null;
}

export interface RequestCallback {
  readonly dueAt: string;
  /** Until then a "not satisfied" reopens the request. */
  readonly reopenUntil: string;
  readonly status: 'pending' | 'satisfied' | 'not_satisfied';
  /** When the follow-up fell due and was put to the service desk (RequestCallbackDue). */
  readonly dueAnnouncedAt: string | null;
  readonly comment: string | null;
  readonly recordedBy: string | null;
  readonly recordedAt: string | null;
}

export interface TargetBreaches {
  readonly response: string | null;
  readonly fulfilment: string | null;
}

export interface ServiceRequest {
  readonly id: string;
  readonly number: string;
  readonly tenantId: string;
  readonly itemId: string;
  readonly itemCode: string;
  readonly itemVersion: number;
  readonly title: string;
  readonly category: string;
  /** The item version raised against, frozen: later edits of the item never change this request. */
  readonly definition: ItemDefinition;
  readonly calendar: ItemVersion['calendar'];
  readonly answers: Readonly<Record<string, unknown>>;
  readonly requesterId: string;
  readonly status: RequestStatus;
  readonly approval: Approval | null;
  /** 0-based stage being fulfilled; null before fulfilment starts. */
  readonly stage: number | null;
  readonly tasks: readonly RequestTask[];
  readonly responseDueAt: string;
  /** The first human response: a staff action or an approver's vote. */
  readonly respondedAt: string | null;
  readonly fulfilmentDueAt: string | null;
  /** Set while awaiting the requester: the fulfilment clock is paused from then. */
  readonly pausedAt: string | null;
  readonly question: string | null;
  readonly fulfilledAt: string | null;
  readonly autoCloseAt: string | null;
  readonly closure: { readonly by: 'requester' | 'staff' | 'auto'; readonly userId: string; readonly at: string } | null;
  readonly failure: { readonly reason: string; readonly taskNumber: string; readonly at: string } | null;
  readonly cancellation: { readonly reason: string; readonly cancelledBy: string } | null;
  readonly callback: RequestCallback | null;
  /** When each target was found missed (RequestResponseTargetBreached, RequestFulfilmentTargetBreached); absent on older records. */
  readonly breaches?: TargetBreaches;
  readonly reopenCount: number;
  readonly statusChangedAt: Readonly<Partial<Record<RequestStatus, string>>>;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export const REQUEST_EVENT_TYPES = [
  'RequestSubmitted',
  'RequestApprovalRecorded',
  'RequestApprovalEscalated',
  'RequestApproved',
  'RequestRejected',
  'RequestTaskAssigned',
  'RequestTaskStarted',
  'RequestTaskNoteAdded',
  'RequestTaskCompleted',
  'RequestFulfilled',
  'RequestFailed',
  'RequestAwaitingRequester',
  'RequestResumed',
  'RequestClosed',
  'RequestCancelled',
  'RequestCallbackDue',
  'RequestCallbackRecorded',
  'RequestReopened',
  'RequestResponseTargetBreached',
  'RequestFulfilmentTargetBreached',
] as const;
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

/** What a rule announces besides its own event, committed in the same write (a task completion that fulfils the request). */
export interface FollowingEvent {
  readonly eventType: RequestEventType;
  readonly facts: Readonly<Record<string, unknown>>;
}

export interface RequestMutation extends RecordChange<RequestEventType> {
  readonly request: ServiceRequest;
  readonly following: readonly FollowingEvent[];
  /** Tasks whose queue entry the write must add or refresh. */
  readonly touchedTasks: readonly string[];
}

export interface RequestContext {
  readonly actor: Actor;
  readonly now: string;
}

const AUDITED = [
  'status',
  'stage',
  'answers',
  'approval',
  'tasks',
  'fulfilmentDueAt',
  'pausedAt',
  'closure',
  'failure',
  'cancellation',
  'callback',
  'breaches',
] as const satisfies readonly (keyof ServiceRequest)[];

function diff(before: ServiceRequest | null, after: ServiceRequest): FieldChange[] {
  return AUDITED.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

/** Statuses each action may be taken from: one table, so `allowedActions` and the rules agree. */
const ACTION_FROM = {
  approve: ['awaiting_approval'],
  reject: ['awaiting_approval'],
  assign_task: ['in_fulfilment', 'awaiting_requester'],
  start_task: ['in_fulfilment', 'awaiting_requester'],
  add_task_note: ['in_fulfilment', 'awaiting_requester'],
  complete_task: ['in_fulfilment'],
  fail_task: ['in_fulfilment', 'awaiting_requester'],
  await_requester: ['in_fulfilment'],
  reply: ['awaiting_requester'],
  confirm: ['fulfilled'],
  auto_close: ['fulfilled'],
  record_callback: ['closed'],
  cancel: ['submitted', 'awaiting_approval', 'approved', 'in_fulfilment', 'awaiting_requester'],
} as const satisfies Record<string, readonly RequestStatus[]>;
export type RequestAction = keyof typeof ACTION_FROM;
export const REQUEST_ACTIONS = Object.keys(ACTION_FROM) as RequestAction[];

function checkFrom(request: ServiceRequest, action: RequestAction): void {
  if (!(ACTION_FROM[action] as readonly RequestStatus[]).includes(request.status)) {
    throw new IllegalTransitionError(
      action,
      request.status,
      REQUEST_ACTIONS.filter((candidate) => (ACTION_FROM[candidate] as readonly RequestStatus[]).includes(request.status)),
    );
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function calendarOf(request: Pick<ServiceRequest, 'calendar'>): BusinessCalendar {
  return request.calendar;
}

function later(at: string, ms: number): string {
  return new Date(Date.parse(at) + ms).toISOString();
}

function businessLater(calendar: BusinessCalendar, at: string, ms: number): string {
  return addBusinessTime(calendar, new Date(at), ms).toISOString();
}

function withStatus(request: ServiceRequest, status: RequestStatus, now: string): Pick<ServiceRequest, 'status' | 'statusChangedAt'> {
  return { status, statusChangedAt: { ...request.statusChangedAt, [status]: now } };
}

/** The record after a rule by `ctx.actor`; a staff action or vote is the first response if none came before. */
function touched(request: ServiceRequest, ctx: RequestContext, patch: Partial<ServiceRequest>, responds = isStaff(ctx.actor)): ServiceRequest {
  return {
    ...request,
    ...patch,
    respondedAt: request.respondedAt ?? (responds ? ctx.now : null),
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: request.version + 1,
  };
}

function mutation(
  before: ServiceRequest,
  after: ServiceRequest,
  action: string,
  eventType: RequestEventType,
  facts: Record<string, unknown>,
  extra: { following?: FollowingEvent[]; touchedTasks?: string[] } = {},
): RequestMutation {
  return { request: after, action, eventType, changes: diff(before, after), facts, following: extra.following ?? [], touchedTasks: extra.touchedTasks ?? [] };
}

/** The 422 of a submission: every field at fault, listed. */
export class FormAnswersError extends UnprocessableError {
  constructor(readonly errors: readonly { field: string; message: string }[]) {
    super(`${errors.length} field${errors.length === 1 ? '' : 's'} of the form need${errors.length === 1 ? 's' : ''} attention.`, { errors });
  }
}

function taskNumber(requestNumber: string, ordinal: number): string {
  return `TASK${requestNumber.replace(/^REQ/, '')}-${ordinal}`;
}

/** The tasks of `stage`, opened at `now` with their due times in the calendar. */
function openStage(request: Pick<ServiceRequest, 'number' | 'definition' | 'calendar'>, stage: number, now: string): RequestTask[] {
  const stages = request.definition.plan.stages;
  const before = stages.slice(0, stage).reduce((count, one) => count + one.tasks.length, 0);
  return (stages[stage]?.tasks ?? []).map((task, index) => ({
    number: taskNumber(request.number, before + index + 1),
    key: task.key,
    name: task.name,
    stage,
    group: task.group,
    assigneeId: null,
    status: 'open',
    deliveryMode: task.deliveryMode,
    instructions: task.instructions,
    openedAt: now,
    dueAt: businessLater(calendarOf(request), now, task.targetHours * HOUR_MS),
    dispatch: { count: 1, returned: 0 },
    notes: [],
    completedAt: null,
    completedBy: null,
    outcome: null,
  }));
}

/** Approved (or needing no approval): the fulfilment clock starts and the first stage's tasks open. */
function fulfilmentStart(request: ServiceRequest, now: string): Partial<ServiceRequest> {
  const tasks = openStage(request, 0, now);
  return {
    ...withStatus({ ...request, ...withStatus(request, 'approved', now) }, 'in_fulfilment', now),
    stage: 0,
    tasks: [...request.tasks, ...tasks],
    fulfilmentDueAt: businessLater(calendarOf(request), now, request.definition.targets.fulfilmentHours * HOUR_MS),
  };
}

export interface NewRequestInput {
  readonly answers: FormAnswers;
  /** The requester's manager from the people records (see {@link RequesterManager}): who decides a "requester's manager" approval. */
  readonly requesterManager?: RequesterManager;
}

/**
 * Raises a request against the item's published version. The answers are
 * checked against that version's form first: every fault is listed (422)
 * and nothing is built. No approval needed: fulfilment starts at once.
 */
export function submitRequest(
  item: CatalogueItem,
  version: ItemVersion,
  input: NewRequestInput,
  ids: { id: string; number: string },
  ctx: RequestContext,
): RequestMutation {
  const errors = validateAnswers(version.definition.form, input.answers);
  if (errors.length > 0) throw new FormAnswersError(errors);
  const policy = approvalPolicyOf(version.definition.approval, input.requesterManager);
  const calendar = version.calendar;
  const base: ServiceRequest = {
    id: ids.id,
    number: ids.number,
    tenantId: ctx.actor.tenantId,
    itemId: item.id,
    itemCode: item.code,
    itemVersion: version.version,
    title: version.definition.name,
    category: version.definition.category,
    definition: version.definition,
    calendar,
    answers: keptAnswers(version.definition.form, input.answers),
    requesterId: ctx.actor.userId,
    status: 'submitted',
    approval: null,
    stage: null,
    tasks: [],
    responseDueAt: businessLater(calendar, ctx.now, version.definition.targets.responseMinutes * 60_000),
    respondedAt: null,
    fulfilmentDueAt: null,
    pausedAt: null,
    question: null,
    fulfilledAt: null,
    autoCloseAt: null,
    closure: null,
    failure: null,
    cancellation: null,
    callback: null,
    breaches: NO_BREACHES,
    reopenCount: 0,
    statusChangedAt: { submitted: ctx.now },
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  const request: ServiceRequest = policy
    ? { ...base, ...withStatus(base, 'awaiting_approval', ctx.now), approval: startApproval(policy, null) }
    : { ...base, ...fulfilmentStart(base, ctx.now) };
  return {
    request,
    action: 'submit',
    eventType: 'RequestSubmitted',
    changes: diff(null, request),
    facts: { itemCode: item.code, itemVersion: version.version, preApproved: policy === null },
    following: [],
    touchedTasks: request.tasks.map((task) => task.number),
  };
}

export interface RequestVoteResult extends RequestMutation {
  readonly outcome: VoteOutcome;
}

/** An approver decides; the last level's quorum starts fulfilment, a reject ends the request. */
export function voteOnRequest(
  request: ServiceRequest,
  ctx: RequestContext,
  vote: { decision: ApprovalDecisionKind; comment: string | null },
  delegations: readonly Delegation[],
): RequestVoteResult {
  checkFrom(request, vote.decision === 'approve' ? 'approve' : 'reject');
  if (!request.approval) throw new ConflictError(`Request ${request.number} has no approval in progress.`);
  const cast = castVote(
    request.approval,
    { actor: ctx.actor, requesterId: request.requesterId, decision: vote.decision, comment: vote.comment, now: ctx.now, subject: 'request' },
    delegations,
  );
  const facts = voteFacts(request.approval, cast);
  const action = vote.decision === 'approve' ? 'approve' : 'reject';
  if (cast.outcome === 'rejected') {
    const after = touched(request, ctx, { ...withStatus(request, 'rejected', ctx.now), approval: cast.approval }, true);
    return { ...mutation(request, after, action, 'RequestRejected', { ...facts, comment: vote.comment }), outcome: cast.outcome };
  }
  if (cast.outcome === 'approved') {
    const approved = { ...request, approval: cast.approval };
    const after = touched(request, ctx, { approval: cast.approval, ...fulfilmentStart(approved, ctx.now) }, true);
    const opened = after.tasks.filter((task) => task.stage === 0).map((task) => task.number);
    return { ...mutation(request, after, action, 'RequestApproved', { ...facts, openedTasks: opened }, { touchedTasks: opened }), outcome: cast.outcome };
  }
  const after = touched(request, ctx, { approval: cast.approval }, true);
  return { ...mutation(request, after, action, 'RequestApprovalRecorded', facts), outcome: cast.outcome };
}

/** Where the approval waits: the level and how often it escalated, as a timeout schedule names it. */
export interface ApprovalWait {
  readonly level: number;
  readonly escalations: number;
}

/** The approval's current wait, or null when nothing waits (decided, or no approval). */
export function approvalWait(request: Pick<ServiceRequest, 'status' | 'approval'>): ApprovalWait | null {
  if (request.status !== 'awaiting_approval' || request.approval?.status !== 'pending') return null;
  return { level: request.approval.currentLevel, escalations: request.approval.escalations };
}

/**
 * The level waited the policy's hours without a decision: escalate it (the
 * escalation approvers join) or expire the approval (the request is
 * rejected), by the shared rules. Null when the wait the timer was set for
 * is over already (decided, next level, escalated since).
 */
export function timeOutRequestApproval(request: ServiceRequest, ctx: RequestContext, timedOut: ApprovalWait): RequestMutation | null {
  const wait = approvalWait(request);
  if (!wait || wait.level !== timedOut.level || wait.escalations !== timedOut.escalations || !request.approval) return null;
  const { approval, outcome } = timeOutLevel(request.approval);
  const facts = { level: wait.level + 1, levelName: request.approval.levels[wait.level]?.name, outcome };
  if (outcome === 'escalated') {
    const after = touched(request, ctx, { approval }, false);
    return mutation(request, after, 'time_out', 'RequestApprovalEscalated', { ...facts, escalateTo: approval.escalateTo });
  }
  const after = touched(request, ctx, { approval, ...withStatus(request, 'rejected', ctx.now) }, false);
  return mutation(request, after, 'expire', 'RequestRejected', { ...facts, reason: 'approval timed out' });
}

function findTask(request: ServiceRequest, number: string): RequestTask {
  const task = request.tasks.find((candidate) => candidate.number === number);
  if (!task) throw new UnprocessableError(`Request ${request.number} has no task ${number}.`, { field: 'taskId' });
  return task;
}

function requireStaff(ctx: RequestContext): void {
  if (!isStaff(ctx.actor)) throw new ForbiddenError('Only agents work fulfilment tasks.');
}

function replaceTask(request: ServiceRequest, number: string, patch: Partial<RequestTask>): RequestTask[] {
  return request.tasks.map((task) => (task.number === number ? { ...task, ...patch } : task));
}

function requireWorkable(task: RequestTask): void {
  if (task.status === 'complete' || task.status === 'failed' || task.status === 'cancelled') {
    throw new ConflictError(`Task ${task.number} is ${task.status}.`, { taskStatus: task.status });
  }
}

/**
 * Assigns a task, as incidents are assigned: within its group to a person;
 * to another group (a returned dispatch counts against first-time
 * dispatch) only by a manager.
 */
export function assignTask(
  request: ServiceRequest,
  ctx: RequestContext,
  number: string,
  command: { group: string; assigneeId: string | null },
): RequestMutation {
  checkFrom(request, 'assign_task');
  requireStaff(ctx);
  const task = findTask(request, number);
  requireWorkable(task);
  const moved = command.group !== task.group;
  if (moved && !hasRole(ctx.actor, 'manager')) throw new ForbiddenError('Only managers can move a task to another group.');
  const tasks = replaceTask(request, number, {
    group: command.group,
    assigneeId: command.assigneeId,
    dispatch: moved ? { count: task.dispatch.count + 1, returned: task.dispatch.returned + 1 } : task.dispatch,
  });
  const after = touched(request, ctx, { tasks });
  return mutation(
    request,
    after,
    'assign_task',
    'RequestTaskAssigned',
    { taskNumber: number, group: command.group, assigneeId: command.assigneeId, previousGroup: task.group, returnedDispatch: moved },
    { touchedTasks: [number] },
  );
}

export function startTask(request: ServiceRequest, ctx: RequestContext, number: string): RequestMutation {
  checkFrom(request, 'start_task');
  requireStaff(ctx);
  const task = findTask(request, number);
  if (task.status !== 'open') throw new ConflictError(`Task ${number} is ${task.status}, not open.`, { taskStatus: task.status });
  const tasks = replaceTask(request, number, { status: 'in_progress', assigneeId: task.assigneeId ?? ctx.actor.userId });
  const after = touched(request, ctx, { tasks });
  return mutation(request, after, 'start_task', 'RequestTaskStarted', { taskNumber: number, group: task.group }, { touchedTasks: [number] });
}

/** Notes per task are bounded: the request is one item (400 KB). */
const MAX_NOTES = 50;

export function addTaskNote(request: ServiceRequest, ctx: RequestContext, number: string, body: string): RequestMutation {
  checkFrom(request, 'add_task_note');
  requireStaff(ctx);
  const task = findTask(request, number);
  if (task.notes.length >= MAX_NOTES) throw new UnprocessableError(`Task ${number} already has ${MAX_NOTES} notes.`);
  const tasks = replaceTask(request, number, { notes: [...task.notes, { by: ctx.actor.userId, at: ctx.now, body }] });
  const after = touched(request, ctx, { tasks });
  return mutation(request, after, 'add_task_note', 'RequestTaskNoteAdded', { taskNumber: number });
}

/**
 * Completes a task. When it was the last open task of its stage the next
 * stage opens; after the last stage the request is fulfilled (announced
 * with the completion, in the same write) and closes by itself after the
 * item's auto-close days unless the requester confirms first.
 */
export function completeTask(request: ServiceRequest, ctx: RequestContext, number: string, outcome: string): RequestMutation {
  checkFrom(request, 'complete_task');
  requireStaff(ctx);
  const task = findTask(request, number);
  requireWorkable(task);
  if (task.stage !== request.stage) throw new ConflictError(`Task ${number} belongs to stage ${task.stage + 1}, not the current one.`);
  let tasks = replaceTask(request, number, {
    status: 'complete',
    completedAt: ctx.now,
    completedBy: ctx.actor.userId,
    outcome,
    assigneeId: task.assigneeId ?? ctx.actor.userId,
  });
  const stageDone = tasks.filter((one) => one.stage === task.stage).every((one) => one.status === 'complete');
  const facts = { taskNumber: number, group: task.group, stage: task.stage + 1, late: Date.parse(ctx.now) > Date.parse(task.dueAt) };
  if (!stageDone) return mutation(request, touched(request, ctx, { tasks }), 'complete_task', 'RequestTaskCompleted', facts, { touchedTasks: [number] });
  const next = task.stage + 1;
  if (next < request.definition.plan.stages.length) {
    const opened = openStage(request, next, ctx.now);
    tasks = [...tasks, ...opened];
    const after = touched(request, ctx, { tasks, stage: next });
    const numbers = opened.map((one) => one.number);
    return mutation(
      request,
      after,
      'complete_task',
      'RequestTaskCompleted',
      { ...facts, nextStage: next + 1, openedTasks: numbers },
      { touchedTasks: [number, ...numbers] },
    );
  }
  const autoCloseAt = later(ctx.now, request.definition.targets.autoCloseDays * DAY_MS);
  const after = touched(request, ctx, { tasks, ...withStatus(request, 'fulfilled', ctx.now), fulfilledAt: ctx.now, autoCloseAt });
  const withinTarget = request.fulfilmentDueAt === null || Date.parse(ctx.now) <= Date.parse(request.fulfilmentDueAt);
  return mutation(request, after, 'complete_task', 'RequestTaskCompleted', facts, {
    following: [{ eventType: 'RequestFulfilled', facts: { withinTarget, fulfilmentDueAt: request.fulfilmentDueAt, autoCloseAt } }],
    touchedTasks: [number],
  });
}

/** A task that cannot be done fails the request, with the reason; the other open tasks are cancelled. */
export function failTask(request: ServiceRequest, ctx: RequestContext, number: string, reason: string): RequestMutation {
  checkFrom(request, 'fail_task');
  requireStaff(ctx);
  const task = findTask(request, number);
  requireWorkable(task);
  const tasks = request.tasks.map((one) =>
    one.number === number
      ? { ...one, status: 'failed' as const, completedAt: ctx.now, completedBy: ctx.actor.userId, outcome: reason }
      : one.status === 'open' || one.status === 'in_progress'
        ? { ...one, status: 'cancelled' as const }
        : one,
  );
  const after = touched(request, ctx, {
    tasks,
    ...withStatus(request, 'failed', ctx.now),
    failure: { reason, taskNumber: number, at: ctx.now },
    pausedAt: null,
  });
  const open = request.tasks.filter((one) => one.status === 'open' || one.status === 'in_progress').map((one) => one.number);
  return mutation(request, after, 'fail_task', 'RequestFailed', { taskNumber: number, reason }, { touchedTasks: open });
}

/** Staff ask the requester something: the fulfilment clock pauses until they reply. */
export function awaitRequester(request: ServiceRequest, ctx: RequestContext, question: string): RequestMutation {
  checkFrom(request, 'await_requester');
  requireStaff(ctx);
  const after = touched(request, ctx, { ...withStatus(request, 'awaiting_requester', ctx.now), pausedAt: ctx.now, question });
  return mutation(request, after, 'await_requester', 'RequestAwaitingRequester', { question });
}

/** The requester replies: the clock resumes, and every due time moves on by the business time it was paused. */
export function replyToRequest(request: ServiceRequest, ctx: RequestContext, answer: string): RequestMutation {
  checkFrom(request, 'reply');
  if (ctx.actor.userId !== request.requesterId && !isStaff(ctx.actor)) throw new ForbiddenError('Only the requester replies.');
  const calendar = calendarOf(request);
  const paused = request.pausedAt ? businessTimeBetween(calendar, new Date(request.pausedAt), new Date(ctx.now)) : 0;
  const shift = (at: string) => businessLater(calendar, at, paused);
  const tasks = request.tasks.map((task) => (task.status === 'open' || task.status === 'in_progress' ? { ...task, dueAt: shift(task.dueAt) } : task));
  const after = touched(
    request,
    ctx,
    {
      ...withStatus(request, 'in_fulfilment', ctx.now),
      pausedAt: null,
      question: null,
      tasks,
      fulfilmentDueAt: request.fulfilmentDueAt ? shift(request.fulfilmentDueAt) : null,
    },
    false,
  );
  return mutation(
    request,
    after,
    'reply',
    'RequestResumed',
    { answer, pausedBusinessMs: paused },
    { touchedTasks: tasks.filter((task) => task.status === 'open' || task.status === 'in_progress').map((task) => task.number) },
  );
}

function closed(request: ServiceRequest, ctx: RequestContext, by: 'requester' | 'staff' | 'auto'): ServiceRequest {
  const targets = request.definition.targets;
  return touched(
    request,
    ctx,
    {
      ...withStatus(request, 'closed', ctx.now),
      closure: { by, userId: ctx.actor.userId, at: ctx.now },
      autoCloseAt: null,
      callback: {
        dueAt: later(ctx.now, targets.callbackAfterDays * DAY_MS),
        reopenUntil: later(ctx.now, targets.reopenWindowDays * DAY_MS),
        status: 'pending',
        dueAnnouncedAt: null,
        comment: null,
        recordedBy: null,
        recordedAt: null,
      },
    },
    false,
  );
}

/** The requester confirms the fulfilment (staff may confirm on their behalf, e.g. by phone): closed, callback scheduled. */
export function confirmRequest(request: ServiceRequest, ctx: RequestContext): RequestMutation {
  checkFrom(request, 'confirm');
  const own = ctx.actor.userId === request.requesterId;
  if (!own && !isStaff(ctx.actor)) throw new ForbiddenError('Only the requester confirms.');
  const after = closed(request, ctx, own ? 'requester' : 'staff');
  return mutation(request, after, 'confirm', 'RequestClosed', { by: own ? 'requester' : 'staff', callbackDueAt: after.callback?.dueAt });
}

/** Nobody confirmed within the item's days: the request closes by itself (a scheduled step). */
export function autoCloseRequest(request: ServiceRequest, ctx: RequestContext): RequestMutation | null {
  if (request.status !== 'fulfilled' || request.autoCloseAt === null || Date.parse(ctx.now) < Date.parse(request.autoCloseAt)) return null;
  const after = closed(request, ctx, 'auto');
  return mutation(request, after, 'auto_close', 'RequestClosed', { by: 'auto', callbackDueAt: after.callback?.dueAt });
}

/**
 * The scheduled follow-up after closure fell due: the service desk is asked
 * to call the requester back (once; nothing when answered already).
 */
export function announceCallbackDue(request: ServiceRequest, ctx: RequestContext): RequestMutation | null {
  const callback = request.callback;
  if (request.status !== 'closed' || !callback || callback.status !== 'pending' || callback.dueAnnouncedAt !== null) return null;
  if (Date.parse(ctx.now) < Date.parse(callback.dueAt)) return null;
  const after = touched(request, ctx, { callback: { ...callback, dueAnnouncedAt: ctx.now } }, false);
  return mutation(request, after, 'callback_due', 'RequestCallbackDue', { dueAt: callback.dueAt, reopenUntil: callback.reopenUntil });
}

/**
 * The callback (回访): whether the requester is satisfied. "Not satisfied"
 * within the reopen window reopens the request: the last stage's tasks
 * open again with fresh due times. Later, it is recorded only.
 */
export function recordCallback(request: ServiceRequest, ctx: RequestContext, answer: { satisfied: boolean; comment: string | null }): RequestMutation {
  checkFrom(request, 'record_callback');
  const own = ctx.actor.userId === request.requesterId;
  if (!own && !isStaff(ctx.actor)) throw new ForbiddenError('Only the requester or the service desk records the callback.');
  if (request.callback?.status !== 'pending') throw new ConflictError(`The callback of ${request.number} is already recorded.`);
  const callback: RequestCallback = {
    ...request.callback,
    status: answer.satisfied ? 'satisfied' : 'not_satisfied',
    comment: answer.comment,
    recordedBy: ctx.actor.userId,
    recordedAt: ctx.now,
  };
  const reopen = !answer.satisfied && Date.parse(ctx.now) <= Date.parse(request.callback.reopenUntil);
  if (!reopen) {
    const after = touched(request, ctx, { callback }, false);
    return mutation(request, after, 'record_callback', 'RequestCallbackRecorded', { satisfied: answer.satisfied, reopened: false, comment: answer.comment });
  }
  const last = request.definition.plan.stages.length - 1;
  const reopened = openStage(request, last, ctx.now).map((task) => ({ ...task, number: `${task.number}R${request.reopenCount + 1}` }));
  const after = touched(
    request,
    ctx,
    {
      callback,
      ...withStatus(request, 'in_fulfilment', ctx.now),
      stage: last,
      // The completed tasks stay as they were (history); the reopened ones join their stage, which completes again when they do.
      tasks: [...request.tasks, ...reopened],
      fulfilledAt: null,
      closure: null,
      reopenCount: request.reopenCount + 1,
      fulfilmentDueAt: businessLater(calendarOf(request), ctx.now, request.definition.targets.fulfilmentHours * HOUR_MS),
    },
    false,
  );
  return mutation(
    request,
    after,
    'record_callback',
    'RequestCallbackRecorded',
    { satisfied: false, reopened: true, comment: answer.comment },
    {
      following: [{ eventType: 'RequestReopened', facts: { reason: answer.comment, openedTasks: reopened.map((task) => task.number) } }],
      touchedTasks: reopened.map((task) => task.number),
    },
  );
}

/** Withdrawn by the requester, or cancelled by staff, before fulfilment ends; open tasks are cancelled. */
export function cancelRequest(request: ServiceRequest, ctx: RequestContext, reason: string): RequestMutation {
  checkFrom(request, 'cancel');
  if (ctx.actor.userId !== request.requesterId && !isStaff(ctx.actor)) throw new ForbiddenError('Only the requester or staff cancel a request.');
  const open = request.tasks.filter((task) => task.status === 'open' || task.status === 'in_progress').map((task) => task.number);
  const tasks = request.tasks.map((task) => (open.includes(task.number) ? { ...task, status: 'cancelled' as const } : task));
  const after = touched(
    request,
    ctx,
    { ...withStatus(request, 'cancelled', ctx.now), tasks, pausedAt: null, cancellation: { reason, cancelledBy: ctx.actor.userId } },
    false,
  );
  return mutation(request, after, 'cancel', 'RequestCancelled', { reason }, { touchedTasks: open });
}

const NO_BREACHES: TargetBreaches = { response: null, fulfilment: null };
/** Until the first response a request waits on its response target (not once it ended without one). */
const AWAITING_RESPONSE: readonly RequestStatus[] = ['submitted', 'awaiting_approval', 'in_fulfilment', 'awaiting_requester'];

type Target = 'response' | 'fulfilment';

/** The targets missed at `now` and not yet recorded: the response (no first response yet), the fulfilment (its clock running, not paused). */
function missedTargets(request: ServiceRequest, now: number): { target: Target; dueAt: string }[] {
  const breaches = request.breaches ?? NO_BREACHES;
  const watched = watchedTargets(request, breaches);
  return watched.filter((entry) => now >= Date.parse(entry.dueAt));
}

function watchedTargets(request: ServiceRequest, breaches: TargetBreaches): { target: Target; dueAt: string }[] {
  const response =
    request.respondedAt === null && breaches.response === null && AWAITING_RESPONSE.includes(request.status)
      ? [{ target: 'response' as const, dueAt: request.responseDueAt }]
      : [];
  // Awaiting the requester pauses the fulfilment clock: the reply moves the due time and the watch is armed again.
  const fulfilment =
    request.status === 'in_fulfilment' && request.fulfilmentDueAt !== null && breaches.fulfilment === null
      ? [{ target: 'fulfilment' as const, dueAt: request.fulfilmentDueAt }]
      : [];
  return [...response, ...fulfilment];
}

/** When the request's next unmet target falls due, or null when none is left to watch (met, recorded, paused or ended). */
export function nextTargetDue(request: ServiceRequest): { target: Target; dueAt: string } | null {
  const watched = watchedTargets(request, request.breaches ?? NO_BREACHES);
  return watched.reduce<{ target: Target; dueAt: string } | null>((first, entry) => (first && first.dueAt <= entry.dueAt ? first : entry), null);
}

/**
 * The targets the request missed by `ctx.now`, recorded once each and
 * announced (RequestResponseTargetBreached: no staff action or vote by the
 * response due time; RequestFulfilmentTargetBreached: not fulfilled by the
 * fulfilment due time, paused time excepted). Null when nothing is missed
 * (met, answered, paused, recorded already).
 */
export function recordTargetBreaches(request: ServiceRequest, ctx: RequestContext): RequestMutation | null {
  const missed = missedTargets(request, Date.parse(ctx.now));
  if (missed.length === 0) return null;
  const breaches = request.breaches ?? NO_BREACHES;
  const recorded: TargetBreaches = {
    response: missed.some((entry) => entry.target === 'response') ? ctx.now : breaches.response,
    fulfilment: missed.some((entry) => entry.target === 'fulfilment') ? ctx.now : breaches.fulfilment,
  };
  const after = touched(request, ctx, { breaches: recorded }, false);
  const announced: FollowingEvent[] = missed.map((entry) => ({
    eventType: entry.target === 'response' ? ('RequestResponseTargetBreached' as const) : ('RequestFulfilmentTargetBreached' as const),
    facts: entry.target === 'response' ? { responseDueAt: entry.dueAt } : { fulfilmentDueAt: entry.dueAt, stage: (request.stage ?? 0) + 1 },
  }));
  const [first, ...rest] = announced as [FollowingEvent, ...FollowingEvent[]];
  return mutation(request, after, 'target_breached', first.eventType, { ...first.facts }, { following: rest });
}

/**
 * Whether `actor` sees the request: staff see all of the tenant's, the
 * requester their own, and a named approver of one of its levels the one
 * they approve (approvers may hold only the requester role).
 */
export function requestVisibleTo(request: Pick<ServiceRequest, 'requesterId' | 'approval'>, actor: Pick<Actor, 'userId' | 'roles'>): boolean {
  if (isStaff(actor) || request.requesterId === actor.userId) return true;
  return request.approval?.levels.some((level) => level.approvers.users.includes(actor.userId)) ?? false;
}

/** Whether the actor's vote would count on the request now (the approver's queue and `allowedActions`). */
export function awaitsVoteOf(
  request: Pick<ServiceRequest, 'approval' | 'requesterId' | 'status'>,
  actor: Pick<Actor, 'userId' | 'roles'>,
  now: string,
  delegations: readonly Delegation[],
): boolean {
  if (request.status !== 'awaiting_approval' || !request.approval) return false;
  return !('refused' in voteEligibility(request.approval, { actor, requesterId: request.requesterId, now, subject: 'request' }, delegations));
}

/** What the actor may do to the request now. */
export function requestActionsFor(
  request: ServiceRequest,
  actor: Pick<Actor, 'userId' | 'roles'>,
  now: string,
  delegations: readonly Delegation[],
): RequestAction[] {
  const own = request.requesterId === actor.userId;
  const staff = isStaff(actor);
  return REQUEST_ACTIONS.filter((action) => {
    if (!(ACTION_FROM[action] as readonly RequestStatus[]).includes(request.status)) return false;
    switch (action) {
      case 'approve':
      case 'reject':
        return awaitsVoteOf(request, actor, now, delegations);
      case 'auto_close':
        return false;
      case 'reply':
      case 'confirm':
      case 'cancel':
        return own || staff;
      case 'record_callback':
        return (own || staff) && request.callback?.status === 'pending';
      default:
        return staff;
    }
  });
}
