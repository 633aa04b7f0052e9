/**
 * The incident life cycle (seed 001 §2, seed 000 §3.2): statuses, the
 * actions that move between them, and the rule that says which are allowed.
 * @module
 */
import { IllegalTransitionError } from '#shared/domain/errors.js';

export const INCIDENT_STATUSES = ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const HOLD_REASONS = ['awaiting_customer', 'awaiting_vendor', 'awaiting_change'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const INCIDENT_ACTIONS = ['assign', 'start', 'hold', 'resume', 'resolve', 'close', 'reopen', 'cancel'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** Statuses in which the incident is still being worked. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'assigned', 'in_progress', 'on_hold'];
/** Statuses that end the life cycle: no action and no field edit applies. */
export const TERMINAL_STATUSES: readonly IncidentStatus[] = ['closed', 'cancelled'];

/**
 * Every allowed transition. Assigning an assigned or worked incident is a
 * reassignment and sends it back to `assigned`, because the new owner has
 * to accept it; reopening goes back to work, as in ServiceNow.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentAction, { from: readonly IncidentStatus[]; to: IncidentStatus }>> = {
  assign: { from: OPEN_STATUSES, to: 'assigned' },
  start: { from: ['assigned'], to: 'in_progress' },
  hold: { from: ['assigned', 'in_progress'], to: 'on_hold' },
  resume: { from: ['on_hold'], to: 'in_progress' },
  resolve: { from: ['assigned', 'in_progress', 'on_hold'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved'], to: 'in_progress' },
  cancel: { from: OPEN_STATUSES, to: 'cancelled' },
};

/** Actions allowed from `status`, in a stable order. */
export function allowedActions(status: IncidentStatus): IncidentAction[] {
  return INCIDENT_ACTIONS.filter((action) => INCIDENT_TRANSITIONS[action].from.includes(status));
}

/** The status `action` leads to from `status`; throws a 409 listing the allowed actions otherwise. */
export function nextStatus(status: IncidentStatus, action: IncidentAction): IncidentStatus {
  const transition = INCIDENT_TRANSITIONS[action];
  if (!transition.from.includes(status)) throw new IllegalTransitionError(action, status, allowedActions(status));
  return transition.to;
}

export function isTerminal(status: IncidentStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
