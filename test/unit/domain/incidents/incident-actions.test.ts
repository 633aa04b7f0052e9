/**
 * `allowedActions` of an incident is a function of its status and the
 * caller: every listed action, performed by that caller, is accepted, and
 * every action the caller is accepted for is listed. Checked exhaustively
 * over statuses, roles (also combined) and assignment states.
 */
import { describe, expect, it } from 'vitest';
import { applyIncidentAction, type Incident, type IncidentCommand, incidentActionsFor } from '#shared/domain/incidents/incident.js';
import { INCIDENT_ACTIONS, INCIDENT_STATUSES, type IncidentAction } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { incidentFixture } from '../../../support/incident-fixture.js';

const NOW = '2025-01-11T10:30:00.000Z';
const requesterId = 'req-1';

const incident = (overrides: Partial<Incident>): Incident =>
  incidentFixture({ requesterId, statusChangedAt: { new: NOW }, createdAt: NOW, updatedAt: NOW, version: 1, ...overrides });

/** The command a caller would send for `action` on `current`: assign keeps the current group (no reassignment). */
function commandFor(action: IncidentAction, current: Incident): IncidentCommand {
  switch (action) {
    case 'assign':
      return { action, assignmentGroup: current.assignmentGroup ?? 'network-ops' };
    case 'hold':
      return { action, reason: 'awaiting_customer' };
    case 'resolve':
      return { action, code: 'solved_permanently', notes: 'fixed' };
    case 'reopen':
    case 'cancel':
      return { action, reason: 'because' };
    default:
      return { action };
  }
}

const accepted = (current: Incident, action: IncidentAction, actor: Actor) => {
  try {
    applyIncidentAction(current, commandFor(action, current), { actor, now: NOW });
    return true;
  } catch {
    return false;
  }
};

const CALLERS: { name: string; userId: string; roles: Role[] }[] = [
  { name: 'its requester', userId: requesterId, roles: ['requester'] },
  { name: 'an agent', userId: 'agent-1', roles: ['agent'] },
  { name: 'a manager', userId: 'mgr-1', roles: ['manager'] },
  { name: 'a tenant admin', userId: 'admin-1', roles: ['tenant-admin'] },
  { name: 'a requester who is also an agent', userId: requesterId, roles: ['requester', 'agent'] },
];
const cases = INCIDENT_STATUSES.flatMap((status) =>
  [null, 'network-ops'].flatMap((assignmentGroup) => CALLERS.map((caller) => ({ status, assignmentGroup, caller: caller.name, who: caller }))),
);

describe('incident allowedActions for the caller', () => {
  it.each(cases)('$status (group $assignmentGroup), $caller: listed ⇔ accepted', ({ status, assignmentGroup, who }) => {
    const current = incident({ status, assignmentGroup });
    const actor: Actor = { tenantId: 'acme', userId: who.userId, roles: who.roles };
    const listed = incidentActionsFor(current, actor);
    expect(listed).toEqual(INCIDENT_ACTIONS.filter((action) => accepted(current, action, actor)));
  });

  it('a new incident lists nothing for its requester, assign for an agent, assign and cancel for a manager', () => {
    const fresh = incident({});
    expect(incidentActionsFor(fresh, { roles: ['requester'] })).toEqual([]);
    expect(incidentActionsFor(fresh, { roles: ['agent'] })).toEqual(['assign']);
    expect(incidentActionsFor(fresh, { roles: ['manager'] })).toEqual(['assign', 'cancel']);
    expect(incidentActionsFor(incident({ status: 'resolved' }), { roles: ['requester'] })).toEqual(['close', 'reopen']);
  });
});
