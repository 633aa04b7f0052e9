/**
 * A stored incident for unit tests: raised by `req-1` in tenant `acme` on
 * 2025-01-10 09:00 UTC, new and unassigned, with `overrides` on top.
 */
import type { Incident } from '#shared/domain/incidents/incident.js';

export function incidentFixture(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '01JH0000000000000000000000',
    number: 'INC0001001',
    tenantId: 'acme',
    title: 'VPN down',
    description: 'Cannot connect since 9:00',
    category: 'network',
    subcategory: null,
    type: 'network',
    impact: 2,
    urgency: 2,
    priority: 3,
    majorIncident: false,
    channel: 'portal',
    requesterId: 'req-1',
    assignmentGroup: null,
    assigneeId: null,
    serviceId: null,
    customerId: null,
    ciId: null,
    status: 'new',
    holdReason: null,
    resolution: null,
    closure: null,
    cancellation: null,
    dispatch: { count: 0, returned: 0 },
    reopenCount: 0,
    statusChangedAt: { new: '2025-01-10T09:00:00.000Z' },
    createdAt: '2025-01-10T09:00:00.000Z',
    createdBy: 'req-1',
    updatedAt: '2025-01-10T09:00:00.000Z',
    updatedBy: 'req-1',
    version: 4,
    ...overrides,
  };
}
