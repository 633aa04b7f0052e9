/**
 * The incident record and the pure rules that change it. Every operation
 * returns the new record plus what the data layer needs to audit and
 * announce the change; nothing here does I/O.
 * @module
 */
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import { pick } from '#shared/domain/pick.js';
import { type Actor, hasRole, isStaff } from '#shared/domain/roles.js';
import type { FieldChange, RecordChange } from '../record-change.js';
import { allowedActions, type HoldReason, type IncidentAction, type IncidentStatus, isTerminal, nextStatus } from './incident-lifecycle.js';
import { type Level, type Priority, type PriorityMatrix, priorityOf } from './priority-matrix.js';

export const INCIDENT_TYPES = ['hardware', 'software', 'network', 'security', 'other'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const CHANNELS = ['portal', 'phone', 'email', 'monitoring'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Resolution codes, after ServiceNow's close codes. */
export const RESOLUTION_CODES = [
  'solved_permanently',
  'solved_workaround',
  'not_reproducible',
  'duplicate',
  'resolved_by_caller',
  'not_solved_too_costly',
  // Monitoring reported recovery and the tenant's alert policy resolves automatically.
  'monitoring_recovered',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

/** A knowledge article or known error used to resolve an incident. */
export interface KnowledgeReference {
  readonly kind: 'article' | 'known_error';
  readonly id: string;
  readonly number: string;
}

export const NOTE_VISIBILITIES = ['work_note', 'comment'] as const;
/** Work notes are internal; comments are visible to the requester. */
export type NoteVisibility = (typeof NOTE_VISIBILITIES)[number];

export interface Incident {
  readonly id: string;
  readonly number: string;
  readonly tenantId: string;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly subcategory: string | null;
  readonly type: IncidentType;
  readonly impact: Level;
  readonly urgency: Level;
  readonly priority: Priority;
  readonly majorIncident: boolean;
  readonly channel: Channel;
  readonly requesterId: string;
  readonly assignmentGroup: string | null;
  readonly assigneeId: string | null;
  readonly serviceId: string | null;
  /** The customer (a client organisation or department of the tenant) the incident is for; chooses the SLA and its calendar. */
  readonly customerId: string | null;
  readonly ciId: string | null;
  readonly status: IncidentStatus;
  readonly holdReason: HoldReason | null;
  readonly resolution: {
    readonly code: ResolutionCode;
    readonly notes: string;
    readonly resolvedBy: string;
    /** The article or known error the incident was resolved with (knowledge utilisation). */
    readonly knowledge?: KnowledgeReference | null;
  } | null;
  readonly closure: { readonly confirmedBy: string; readonly confirmation: 'requester' | 'agent'; readonly note: string | null } | null;
  readonly cancellation: { readonly reason: string; readonly cancelledBy: string } | null;
  /** Dispatches to a group, and how many of them the group handed back (first-time dispatch KPI). */
  readonly dispatch: { readonly count: number; readonly returned: number };
  readonly reopenCount: number;
  /** When the incident last entered each status it has been in. */
  readonly statusChangedAt: Readonly<Partial<Record<IncidentStatus, string>>>;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type { FieldChange } from '../record-change.js';

/** Event detail types this module produces. */
export type IncidentEventType =
  | 'IncidentCreated'
  | 'IncidentUpdated'
  | 'IncidentAssigned'
  | 'IncidentWorkStarted'
  | 'IncidentPutOnHold'
  | 'IncidentResumed'
  | 'IncidentResolved'
  | 'IncidentClosed'
  | 'IncidentReopened'
  | 'IncidentCancelled'
  | 'IncidentNoteAdded'
  | 'IncidentEscalated';

/** The outcome of a rule: the new record and what to audit and announce. */
export interface IncidentChange extends RecordChange<IncidentEventType, IncidentAction | 'create' | 'update' | 'note' | 'escalate'> {
  readonly incident: Incident;
}

export interface NewIncidentInput {
  title: string;
  description: string;
  category: string;
  subcategory?: string | null | undefined;
  type: IncidentType;
  impact: Level;
  urgency: Level;
  majorIncident?: boolean | undefined;
  channel: Channel;
  requesterId?: string | undefined;
  serviceId?: string | null | undefined;
  customerId?: string | null | undefined;
  ciId?: string | null | undefined;
  /** Staff only: the group the incident is dispatched to at once (the caller has checked it is an active group). */
  assignmentGroup?: string | null | undefined;
}

/** Identity and clock for one operation, supplied by the caller so rules stay pure. */
export interface OperationContext {
  readonly actor: Actor;
  readonly now: string;
  readonly matrix: PriorityMatrix;
}

/** Fields compared to build the audit diff. */
const AUDITED_FIELDS = [
  'title',
  'description',
  'category',
  'subcategory',
  'type',
  'impact',
  'urgency',
  'priority',
  'majorIncident',
  'channel',
  'requesterId',
  'assignmentGroup',
  'assigneeId',
  'serviceId',
  'customerId',
  'ciId',
  'status',
  'holdReason',
  'resolution',
  'closure',
  'cancellation',
] as const satisfies readonly (keyof Incident)[];

function diff(before: Incident | null, after: Incident): FieldChange[] {
  return AUDITED_FIELDS.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

/**
 * A new incident. Requesters always raise incidents for themselves; staff
 * may log one on behalf of a requester (phone, email).
 */
/**
 * The group a new incident is dispatched to, if any. Dispatching is the
 * service desk's call: a requester's form cannot route work past triage
 * (403), checked before the group's existence so a requester learns nothing
 * about the tenant's groups.
 */
export function groupAtCreation(input: Pick<NewIncidentInput, 'assignmentGroup'>, actor: Actor): string | null {
  const group = input.assignmentGroup ?? null;
  if (group !== null && !isStaff(actor)) throw new ForbiddenError('Only staff can dispatch an incident to a group.');
  return group;
}

export function createIncident(input: NewIncidentInput, identity: { id: string; number: string }, ctx: OperationContext): IncidentChange {
  const { actor, now, matrix } = ctx;
  const requesterId = isStaff(actor) ? (input.requesterId ?? actor.userId) : actor.userId;
  if (!isStaff(actor) && input.requesterId !== undefined && input.requesterId !== actor.userId) {
    throw new ForbiddenError('Requesters can only raise incidents for themselves.');
  }
  const assignmentGroup = groupAtCreation(input, actor);
  const incident: Incident = {
    id: identity.id,
    number: identity.number,
    tenantId: actor.tenantId,
    title: input.title,
    description: input.description,
    category: input.category,
    subcategory: input.subcategory ?? null,
    type: input.type,
    impact: input.impact,
    urgency: input.urgency,
    priority: priorityOf(matrix, input.impact, input.urgency),
    majorIncident: input.majorIncident ?? false,
    channel: input.channel,
    requesterId,
    assignmentGroup,
    assigneeId: null,
    serviceId: input.serviceId ?? null,
    customerId: input.customerId ?? null,
    ciId: input.ciId ?? null,
    // Dispatched at creation is what `assign` would make of it at once: the group's queue, ready to start.
    status: assignmentGroup === null ? 'new' : 'assigned',
    holdReason: null,
    resolution: null,
    closure: null,
    cancellation: null,
    // A group named at creation is the first dispatch (the first-time dispatch KPI counts it).
    dispatch: { count: assignmentGroup === null ? 0 : 1, returned: 0 },
    reopenCount: 0,
    statusChangedAt: assignmentGroup === null ? { new: now } : { new: now, assigned: now },
    createdAt: now,
    createdBy: actor.userId,
    updatedAt: now,
    updatedBy: actor.userId,
    version: 1,
  };
  return {
    incident,
    action: 'create',
    eventType: 'IncidentCreated',
    changes: diff(null, incident),
    facts: assignmentGroup === null ? {} : { dispatched: true },
  };
}

/** The fields a queue shows: everything but the long texts and the bookkeeping. */
export const SUMMARY_FIELDS = [
  'id',
  'number',
  'title',
  'category',
  'type',
  'impact',
  'urgency',
  'priority',
  'majorIncident',
  'status',
  'holdReason',
  'requesterId',
  'assignmentGroup',
  'assigneeId',
  'serviceId',
  'ciId',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof Incident)[];

export type IncidentSummary = Pick<Incident, (typeof SUMMARY_FIELDS)[number]>;

export function summarise(incident: Incident): IncidentSummary {
  return pick(incident, SUMMARY_FIELDS);
}

/** Whether `actor` may see `incident` at all; others get a 404, never a 403. */
export function canView(actor: Actor, incident: Incident): boolean {
  return incident.tenantId === actor.tenantId && (isStaff(actor) || incident.requesterId === actor.userId);
}

export interface IncidentPatch {
  title?: string | undefined;
  description?: string | undefined;
  category?: string | undefined;
  subcategory?: string | null | undefined;
  type?: IncidentType | undefined;
  impact?: Level | undefined;
  urgency?: Level | undefined;
  majorIncident?: boolean | undefined;
  serviceId?: string | null | undefined;
  customerId?: string | null | undefined;
  ciId?: string | null | undefined;
}

/** Whether applying `patch` needs the priority matrix (impact or urgency change). */
export function patchReprioritises(incident: Incident, patch: IncidentPatch): boolean {
  return (patch.impact !== undefined && patch.impact !== incident.impact) || (patch.urgency !== undefined && patch.urgency !== incident.urgency);
}

/**
 * Edits classification and description fields. Priority follows impact and
 * urgency under the tenant's current matrix, which is only needed (and
 * only read) when one of them changes.
 */
export function updateIncident(
  incident: Incident,
  patch: IncidentPatch,
  ctx: Omit<OperationContext, 'matrix'> & { matrix: PriorityMatrix | null },
): IncidentChange {
  if (!isStaff(ctx.actor)) throw new ForbiddenError('Only agents can edit an incident.');
  if (isTerminal(incident.status)) throw new ConflictError(`A ${incident.status} incident cannot be edited.`, { currentStatus: incident.status });
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const merged = { ...incident, ...defined } as Incident;
  let priority = incident.priority;
  if (patchReprioritises(incident, patch)) {
    if (!ctx.matrix) throw new Error('The priority matrix is needed to change impact or urgency.');
    priority = priorityOf(ctx.matrix, merged.impact, merged.urgency);
  }
  const next = stamp({ ...merged, priority }, incident, ctx);
  const changes = diff(incident, next);
  if (changes.length === 0) throw new UnprocessableError('The patch changes nothing.');
  return { incident: next, action: 'update', eventType: 'IncidentUpdated', changes, facts: {} };
}

export type IncidentCommand =
  | { action: 'assign'; assignmentGroup: string; assigneeId?: string | null | undefined }
  | { action: 'start' }
  | { action: 'hold'; reason: HoldReason }
  | { action: 'resume' }
  | { action: 'resolve'; code: ResolutionCode; notes: string; knowledge?: KnowledgeReference | null }
  | { action: 'close'; note?: string | undefined }
  | { action: 'reopen'; reason: string }
  | { action: 'cancel'; reason: string };

/** The event each life-cycle action emits. */
export const EVENT_OF_ACTION: Readonly<Record<IncidentAction, IncidentEventType>> = {
  assign: 'IncidentAssigned',
  start: 'IncidentWorkStarted',
  hold: 'IncidentPutOnHold',
  resume: 'IncidentResumed',
  resolve: 'IncidentResolved',
  close: 'IncidentClosed',
  reopen: 'IncidentReopened',
  cancel: 'IncidentCancelled',
};

/** Requesters confirm or reject the fix of their own incident; everything else is staff work. */
const REQUESTER_ACTIONS: readonly IncidentAction[] = ['close', 'reopen'];

/**
 * Role rules beyond "can see it", for an incident the actor sees: agents
 * dispatch and work incidents, cancelling is for managers, requesters only
 * confirm or reject the fix. The one rule behind both the refusal (403) and
 * the actions an incident lists for its caller (`incidentActionsFor`).
 */
export function mayTakeIncidentAction(actor: Pick<Actor, 'roles'>, action: IncidentAction): boolean {
  if (!isStaff(actor)) return REQUESTER_ACTIONS.includes(action);
  return action !== 'cancel' || hasRole(actor, 'manager');
}

/**
 * What the actor may do to the incident now: the status allows it and the
 * role rule admits it. An agent's `assign` is listed: assigning within the
 * current group (or a first dispatch) is theirs; moving the incident to
 * another group is a manager's (403), a detail of the command.
 */
export function incidentActionsFor(incident: Pick<Incident, 'status'>, actor: Pick<Actor, 'roles'>): IncidentAction[] {
  return allowedActions(incident.status).filter((action) => mayTakeIncidentAction(actor, action));
}

function authorize(actor: Actor, incident: Incident, command: IncidentCommand): void {
  // Handlers check visibility first; repeating it here keeps the rule true for any future caller.
  if (!canView(actor, incident)) throw new NotFoundError(`Incident ${incident.number} was not found.`);
  if (!mayTakeIncidentAction(actor, command.action)) {
    throw new ForbiddenError(isStaff(actor) ? `Only managers can ${command.action} an incident.` : `Requesters cannot ${command.action} an incident.`);
  }
  if (command.action === 'assign' && incident.assignmentGroup !== null && command.assignmentGroup !== incident.assignmentGroup && !hasRole(actor, 'manager')) {
    throw new ForbiddenError('Only managers can reassign an incident to another group.');
  }
}

/** Applies a life-cycle action, enforcing the transition table and role rules. */
export function applyIncidentAction(incident: Incident, command: IncidentCommand, ctx: Omit<OperationContext, 'matrix'>): IncidentChange {
  authorize(ctx.actor, incident, command);
  const status = nextStatus(incident.status, command.action);
  const base = { ...incident, status, statusChangedAt: { ...incident.statusChangedAt, [status]: ctx.now } };
  let next: Incident;
  let facts: Record<string, unknown> = {};
  switch (command.action) {
    case 'assign': {
      const groupChanged = command.assignmentGroup !== incident.assignmentGroup;
      const returned = groupChanged && incident.assignmentGroup !== null;
      next = {
        ...base,
        assignmentGroup: command.assignmentGroup,
        assigneeId: command.assigneeId ?? null,
        holdReason: null,
        dispatch: groupChanged ? { count: incident.dispatch.count + 1, returned: incident.dispatch.returned + (returned ? 1 : 0) } : incident.dispatch,
      };
      facts = { dispatched: groupChanged, returnedDispatch: returned, previousGroup: incident.assignmentGroup };
      break;
    }
    case 'start':
      next = { ...base, assigneeId: incident.assigneeId ?? ctx.actor.userId };
      break;
    case 'hold':
      next = { ...base, holdReason: command.reason };
      facts = { reason: command.reason };
      break;
    case 'resume':
      next = { ...base, holdReason: null };
      break;
    case 'resolve':
      next = {
        ...base,
        holdReason: null,
        resolution: { code: command.code, notes: command.notes, resolvedBy: ctx.actor.userId, knowledge: command.knowledge ?? null },
      };
      facts = { knowledge: command.knowledge ?? null };
      break;
    case 'close': {
      const byRequester = ctx.actor.userId === incident.requesterId;
      next = {
        ...base,
        closure: { confirmedBy: ctx.actor.userId, confirmation: byRequester ? 'requester' : 'agent', note: command.note ?? null },
      };
      break;
    }
    case 'reopen':
      next = { ...base, resolution: null, reopenCount: incident.reopenCount + 1 };
      facts = { reason: command.reason };
      break;
    case 'cancel':
      next = { ...base, holdReason: null, cancellation: { reason: command.reason, cancelledBy: ctx.actor.userId } };
      break;
  }
  const stamped = stamp(next, incident, ctx);
  return { incident: stamped, action: command.action, eventType: EVENT_OF_ACTION[command.action], changes: diff(incident, stamped), facts };
}

export interface IncidentNote {
  readonly id: string;
  readonly incidentId: string;
  readonly visibility: NoteVisibility;
  readonly body: string;
  readonly authorId: string;
  readonly createdAt: string;
}

/**
 * Adds a work note or a comment. Requesters may only comment; notes are
 * kept even on closed incidents (follow-up after closure is part of the
 * service desk's job), and they bump the incident's version so an agent
 * holding a stale copy learns that something happened.
 */
export function addNote(
  incident: Incident,
  input: { visibility: NoteVisibility; body: string },
  noteId: string,
  ctx: Omit<OperationContext, 'matrix'>,
): IncidentChange & { note: IncidentNote } {
  if (input.visibility === 'work_note' && !isStaff(ctx.actor)) throw new ForbiddenError('Requesters can add comments, not work notes.');
  const note: IncidentNote = {
    id: noteId,
    incidentId: incident.id,
    visibility: input.visibility,
    body: input.body,
    authorId: ctx.actor.userId,
    createdAt: ctx.now,
  };
  const next = stamp(incident, incident, ctx);
  return { incident: next, note, action: 'note', eventType: 'IncidentNoteAdded', changes: [], facts: { noteId, visibility: input.visibility } };
}

/** Notes the actor may read: requesters never see work notes. */
export function visibleNotes(actor: Actor, notes: readonly IncidentNote[]): IncidentNote[] {
  return isStaff(actor) ? [...notes] : notes.filter((note) => note.visibility === 'comment');
}

function stamp(next: Incident, previous: Incident, ctx: Pick<OperationContext, 'actor' | 'now'>): Incident {
  return { ...next, updatedAt: ctx.now, updatedBy: ctx.actor.userId, version: previous.version + 1 };
}
