/**
 * Key builders of the incidents practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { numberLookupKey, type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';
import type { Incident } from '#shared/domain/incidents/incident.js';

export function incidentKey(tenantId: string, incidentId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}INCIDENT#${segment(incidentId)}`, SK: 'INCIDENT' };
}

export const NOTE_PREFIX = 'NOTE#';
export function noteKey(tenantId: string, incidentId: string, noteId: string): PrimaryKey {
  return { PK: incidentKey(tenantId, incidentId).PK, SK: `${NOTE_PREFIX}${segment(noteId)}` };
}

/** Per-tenant incident settings: the number sequence and the priority matrix, read in one call. */
export function incidentSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'INCIDENTS' };
}

/** The dimensions an incident queue can be listed by. */
export const INCIDENT_QUEUES = ['all', 'status', 'group', 'assignee', 'requester', 'ci'] as const;
export type IncidentQueue = (typeof INCIDENT_QUEUES)[number];

const QUEUE_INDEX: Record<IncidentQueue, { index: string; segment: string | null }> = {
  all: { index: 'GSI1', segment: null },
  status: { index: 'GSI2', segment: 'STATUS' },
  group: { index: 'GSI3', segment: 'GROUP' },
  assignee: { index: 'GSI4', segment: 'ASSIGNEE' },
  requester: { index: 'GSI5', segment: 'REQUESTER' },
  ci: { index: 'GSI6', segment: 'CI' },
};

/** Index and partition value of one queue, e.g. the `in_progress` status queue. */
export function incidentQueueKey(tenantId: string, queue: IncidentQueue, value?: string): { indexName: string; partitionKey: string } {
  const { index, segment: name } = QUEUE_INDEX[queue];
  const base = `${tenantPrefix(tenantId)}INCIDENTS`;
  if (name === null) return { indexName: index, partitionKey: base };
  if (value === undefined) throw new Error(`Queue '${queue}' needs a value.`);
  return { indexName: index, partitionKey: `${base}#${name}#${segment(value)}` };
}

/** Queue order: priority first (P1 on top), then oldest first; the id keeps it stable. */
export function queueSortKey(priority: number, createdAt: string, id: string): string {
  return `P${priority}#${createdAt}#${id}`;
}

/** Prefix of `queueSortKey` that narrows a queue to one priority. */
export function queuePriorityPrefix(priority: number): string {
  return `P${priority}#`;
}

/**
 * Index attributes of an incident. Group, assignee and CI keys are sparse:
 * an incident appears in those queues only once it has a value.
 */
export function incidentIndexKeys(incident: Incident): Record<string, string> {
  const t = incident.tenantId;
  const keys: Record<string, string> = {
    QSK: queueSortKey(incident.priority, incident.createdAt, incident.id),
    GSI1PK: incidentQueueKey(t, 'all').partitionKey,
    GSI2PK: incidentQueueKey(t, 'status', incident.status).partitionKey,
    GSI5PK: incidentQueueKey(t, 'requester', incident.requesterId).partitionKey,
    GSI7PK: numberLookupKey(t, incident.number).partitionKey,
  };
  if (incident.assignmentGroup) keys.GSI3PK = incidentQueueKey(t, 'group', incident.assignmentGroup).partitionKey;
  if (incident.assigneeId) keys.GSI4PK = incidentQueueKey(t, 'assignee', incident.assigneeId).partitionKey;
  if (incident.ciId) keys.GSI6PK = incidentQueueKey(t, 'ci', incident.ciId).partitionKey;
  return keys;
}
