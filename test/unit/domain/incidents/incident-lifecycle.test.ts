import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '#shared/domain/errors.js';
import {
  allowedActions,
  INCIDENT_ACTIONS,
  INCIDENT_STATUSES,
  type IncidentAction,
  type IncidentStatus,
  isTerminal,
  nextStatus,
} from '#shared/domain/incidents/incident-lifecycle.js';

/**
 * The life cycle as specified (seed 001 §2), written out by hand rather than
 * derived from INCIDENT_TRANSITIONS: assigning an open incident (re)assigns
 * it, work starts from assigned, holds and resolutions come from worked
 * states, only a resolved incident is closed or reopened (back to work), and
 * only an open one is cancelled.
 */
const ALLOWED: readonly { status: IncidentStatus; action: IncidentAction; next: IncidentStatus }[] = [
  { status: 'new', action: 'assign', next: 'assigned' },
  { status: 'new', action: 'cancel', next: 'cancelled' },
  { status: 'assigned', action: 'assign', next: 'assigned' },
  { status: 'assigned', action: 'start', next: 'in_progress' },
  { status: 'assigned', action: 'hold', next: 'on_hold' },
  { status: 'assigned', action: 'resolve', next: 'resolved' },
  { status: 'assigned', action: 'cancel', next: 'cancelled' },
  { status: 'in_progress', action: 'assign', next: 'assigned' },
  { status: 'in_progress', action: 'hold', next: 'on_hold' },
  { status: 'in_progress', action: 'resolve', next: 'resolved' },
  { status: 'in_progress', action: 'cancel', next: 'cancelled' },
  { status: 'on_hold', action: 'assign', next: 'assigned' },
  { status: 'on_hold', action: 'resume', next: 'in_progress' },
  { status: 'on_hold', action: 'resolve', next: 'resolved' },
  { status: 'on_hold', action: 'cancel', next: 'cancelled' },
  { status: 'resolved', action: 'close', next: 'closed' },
  { status: 'resolved', action: 'reopen', next: 'in_progress' },
];

const isAllowed = (status: IncidentStatus, action: IncidentAction) => ALLOWED.some((row) => row.status === status && row.action === action);

const ILLEGAL = INCIDENT_STATUSES.flatMap((status) => INCIDENT_ACTIONS.filter((action) => !isAllowed(status, action)).map((action) => ({ status, action })));

describe('incident life cycle', () => {
  it('covers 7 statuses and 8 actions', () => {
    // The illegal-pair table below is generated from these lists; pin their size.
    expect(INCIDENT_STATUSES).toHaveLength(7);
    expect(INCIDENT_ACTIONS).toHaveLength(8);
    expect(ILLEGAL).toHaveLength(7 * 8 - ALLOWED.length);
  });

  it.each(ALLOWED)('$status --$action--> $next', ({ status, action, next }) => {
    expect(nextStatus(status, action)).toBe(next);
  });

  it.each(ILLEGAL)('refuses to $action a $status incident with a 409', ({ status, action }) => {
    // Act
    let thrown: unknown;
    try {
      nextStatus(status, action);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    const error = thrown as IllegalTransitionError;
    expect(error.kind).toBe('illegal-transition');
    expect(error.allowedActions).toEqual(allowedActions(status));
    expect(error.extensions).toMatchObject({ action, currentStatus: status, allowedActions: allowedActions(status) });
  });

  it.each(INCIDENT_STATUSES)('allowedActions(%s) lists exactly the allowed actions, in the stable action order', (status) => {
    const expected = INCIDENT_ACTIONS.filter((action) => isAllowed(status, action));
    expect(allowedActions(status)).toEqual(expected);
  });

  it.each(['closed', 'cancelled'] as const)('terminal status %s allows no action at all', (status) => {
    expect(isTerminal(status)).toBe(true);
    expect(allowedActions(status)).toEqual([]);
    for (const action of INCIDENT_ACTIONS) expect(() => nextStatus(status, action)).toThrow(IllegalTransitionError);
  });

  it.each(['new', 'assigned', 'in_progress', 'on_hold', 'resolved'] as const)('status %s is not terminal and allows something', (status) => {
    expect(isTerminal(status)).toBe(false);
    expect(allowedActions(status).length).toBeGreaterThan(0);
  });
});
