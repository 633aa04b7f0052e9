/**
 * The change life cycle (seed 000 §3.5, seed 003 §5.1–5.2): every change is
 * requested, assessed, authorised, scheduled into a controlled window,
 * implemented, rolled back on failure and reviewed. The path depends on the
 * change type, after ServiceNow's standard / normal / emergency models:
 *
 * - standard: pre-approved from a template, `new → scheduled`;
 * - normal: `new → assess → authorise (CAB) → scheduled → implement → review → closed`;
 * - emergency: `new → authorise (emergency approvers) → scheduled → implement → review → closed`.
 *
 * A failed implementation goes `implement → rollback → review`. `rejected`
 * and `cancelled` end a change before implementation.
 * @module
 */
import { IllegalTransitionError } from '#shared/domain/errors.js';

export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_STATUSES = ['new', 'assess', 'authorise', 'scheduled', 'implement', 'rollback', 'review', 'closed', 'rejected', 'cancelled'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/**
 * Actions. People act through the API (submit, assess, approve/reject,
 * report the implementation, close, cancel); the approval workflow performs
 * the timed ones (schedule, start, roll back, expire).
 */
export const CHANGE_ACTIONS = [
  'submit',
  'assess',
  'approve',
  'reject',
  'expire',
  'schedule',
  'start',
  'complete',
  'fail',
  'rollback',
  'close',
  'cancel',
] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** Statuses that end the life cycle. */
export const TERMINAL_CHANGE_STATUSES: readonly ChangeStatus[] = ['closed', 'rejected', 'cancelled'];
/** Statuses in which a change holds its window on the calendar (conflict detection reads these). */
export const CALENDAR_STATUSES: readonly ChangeStatus[] = ['scheduled', 'implement'];
/**
 * Statuses whose window a new change must not overlap on the same CI: on
 * the calendar, or on its way there (two changes of one CI approved in
 * parallel would otherwise both take the same window).
 */
export const CONFLICT_STATUSES: readonly ChangeStatus[] = ['assess', 'authorise', 'scheduled', 'implement'];

type Transition = { readonly from: ChangeStatus; readonly to: ChangeStatus };

/** From the calendar on, every type runs the same way: implement, roll back on failure, review. */
const FROM_SCHEDULED: Readonly<Partial<Record<ChangeAction, readonly Transition[]>>> = {
  start: [{ from: 'scheduled', to: 'implement' }],
  complete: [{ from: 'implement', to: 'review' }],
  fail: [{ from: 'implement', to: 'rollback' }],
  rollback: [{ from: 'rollback', to: 'review' }],
  close: [{ from: 'review', to: 'closed' }],
};

/** Authorisation by approvers (normal and emergency): votes keep the status until a decision. */
const AUTHORISATION: Readonly<Partial<Record<ChangeAction, readonly Transition[]>>> = {
  approve: [{ from: 'authorise', to: 'authorise' }],
  reject: [{ from: 'authorise', to: 'rejected' }],
  expire: [{ from: 'authorise', to: 'rejected' }],
  schedule: [{ from: 'authorise', to: 'scheduled' }],
};

/** Cancellation is possible until implementation starts. */
const cancelFrom = (...statuses: ChangeStatus[]): readonly Transition[] => statuses.map((from) => ({ from, to: 'cancelled' }));

/** Every allowed transition, per change type. */
export const CHANGE_TRANSITIONS: Readonly<Record<ChangeType, Readonly<Partial<Record<ChangeAction, readonly Transition[]>>>>> = {
  standard: { submit: [{ from: 'new', to: 'scheduled' }], ...FROM_SCHEDULED, cancel: cancelFrom('new', 'scheduled') },
  normal: {
    submit: [{ from: 'new', to: 'assess' }],
    assess: [{ from: 'assess', to: 'authorise' }],
    ...AUTHORISATION,
    ...FROM_SCHEDULED,
    cancel: cancelFrom('new', 'assess', 'authorise', 'scheduled'),
  },
  emergency: { submit: [{ from: 'new', to: 'authorise' }], ...AUTHORISATION, ...FROM_SCHEDULED, cancel: cancelFrom('new', 'authorise', 'scheduled') },
};

/** Actions a change of `type` allows from `status`, in a stable order. */
export function allowedChangeActions(type: ChangeType, status: ChangeStatus): ChangeAction[] {
  return CHANGE_ACTIONS.filter((action) => (CHANGE_TRANSITIONS[type][action] ?? []).some((transition) => transition.from === status));
}

/** The status `action` leads to; a 409 listing the allowed actions otherwise. */
export function nextChangeStatus(type: ChangeType, status: ChangeStatus, action: ChangeAction): ChangeStatus {
  const transition = (CHANGE_TRANSITIONS[type][action] ?? []).find((candidate) => candidate.from === status);
  if (!transition) throw new IllegalTransitionError(action, status, allowedChangeActions(type, status));
  return transition.to;
}

export function isTerminalChange(status: ChangeStatus): boolean {
  return TERMINAL_CHANGE_STATUSES.includes(status);
}
