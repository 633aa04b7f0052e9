/**
 * Building outbox events: a record mutation's event carries exactly what
 * the catalogue schema names, taken from the record, with the envelope from
 * the record's tenant, time and the actor.
 */
import { describe, expect, it } from 'vitest';
import { recordEvent } from '#shared/events/outbox-event.js';
import { incidentFixture } from '../../support/incident-fixture.js';

const actor = { userId: 'u-1', roles: ['agent'] as const };
// Members the event schema does not name (title, description …) stay out of the event.
const incident = incidentFixture({ status: 'in_progress', assignmentGroup: 'network', updatedAt: '2026-12-01T10:00:00.000Z' });

describe('recordEvent', () => {
  const event = recordEvent('IncidentAssigned', incident, actor, { incidentId: incident.id, changes: [], facts: { returnedDispatch: true } });

  it('takes the envelope from the record and the actor', () => {
    expect(event.detail).toMatchObject({ tenantId: incident.tenantId, occurredAt: incident.updatedAt, actor: { userId: 'u-1', roles: ['agent'] } });
    expect(event.source).toBe('itsm.incidents');
  });

  it('copies every member the catalogue names from the record, and nothing else', () => {
    const { eventId, tenantId, occurredAt, actor: _, ...rest } = event.detail;
    const { id, number, version, status, priority, assignmentGroup, assigneeId, majorIncident } = incident;
    expect(rest).toEqual({
      incidentId: id,
      number,
      version,
      status,
      priority,
      assignmentGroup,
      assigneeId,
      majorIncident,
      changes: [],
      facts: { returnedDispatch: true },
    });
    expect(eventId).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('lets the given detail win over a record member of the same name', () => {
    const reassigned = recordEvent('IncidentAssigned', incident, actor, { incidentId: 'inc-1', status: 'assigned', changes: [], facts: {} });
    expect(reassigned.detail.status).toBe('assigned');
  });

  it('never takes envelope members from the record', () => {
    const forged = { ...incident, occurredAt: 'x', actor: { userId: 'someone-else', roles: [] }, eventId: 'forged' };
    const built = recordEvent('IncidentAssigned', forged, actor, { incidentId: 'inc-1', changes: [], facts: {} });
    expect(built.detail.actor.userId).toBe('u-1');
    expect(built.detail.occurredAt).toBe(incident.updatedAt);
    expect(built.detail.eventId).not.toBe('forged');
  });

  it('fails, before anything is written, when the record lacks a member the schema requires', () => {
    const { priority: _, ...withoutPriority } = incident;
    expect(() => recordEvent('IncidentAssigned', withoutPriority, actor, { incidentId: 'inc-1', changes: [], facts: {} })).toThrow();
  });
});
