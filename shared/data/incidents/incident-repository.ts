import type { IdempotencyClaim, IdempotentReplay, Mutation } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { AUDIT_PREFIX } from '#shared/data/keys.js';
import { queryPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import { type Incident, type IncidentChange, type IncidentNote, type IncidentSummary, SUMMARY_FIELDS, summarise } from '#shared/domain/incidents/incident.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import type { Actor } from '#shared/domain/roles.js';
import { type IncidentQueue, incidentIndexKeys, incidentKey, incidentQueueKey, NOTE_PREFIX, noteKey, queuePriorityPrefix } from './keys.js';

/**
 * The stored form: queue fields live only in the summary map (which the
 * queue indexes project), the rest beside it, so nothing is stored twice.
 */
function toItem(incident: Incident) {
  const details: Record<string, unknown> = { ...incident };
  for (const field of SUMMARY_FIELDS) delete details[field];
  // `version` also stays top-level: the optimistic-concurrency condition of every write reads it there.
  return {
    ...incidentKey(incident.tenantId, incident.id),
    entity: 'Incident',
    ...incidentIndexKeys(incident),
    [SUMMARY_ATTRIBUTE]: summarise(incident),
    ...details,
    version: incident.version,
  };
}

/** The incident a stored item holds (for repositories that read it with other items in one call). */
export function incidentFromItem(item: Record<string, unknown>): Incident {
  return { ...withoutStorageAttributes<Omit<Incident, keyof IncidentSummary>>(item), ...(item[SUMMARY_ATTRIBUTE] as IncidentSummary) };
}

const incidents = recordStore<Incident, IncidentChange>({
  recordType: 'Incident',
  idMember: 'incidentId',
  key: incidentKey,
  toItem,
  fromItem: incidentFromItem,
  recordOf: (change) => change.incident,
});

/** The outbox event of an incident change. */
export const incidentEvent = incidents.event;

/** Items of other modules written in the incident's transaction (an alert record that points at it). */
export type LinkedWrites = Pick<Mutation, 'extraItems' | 'relatedUpdates'>;

/** Writes a new incident; a reused idempotency key yields the earlier response instead. */
export function insertIncident(
  change: IncidentChange,
  actor: Actor,
  idempotency?: IdempotencyClaim,
  linked: LinkedWrites = {},
): Promise<IdempotentReplay | null> {
  return incidents.insert(change, actor, { ...linked, idempotency });
}

/**
 * Writes a changed incident if nobody else changed it since `expectedVersion`
 * was read. `ifMatch` says whether the caller named that version (412 when
 * stale) or it was only read by us (409).
 */
export function saveIncident(
  change: IncidentChange & { note?: IncidentNote },
  actor: Actor,
  expectedVersion: number,
  ifMatch: boolean,
  idempotency?: IdempotencyClaim,
  linked: LinkedWrites = {},
): Promise<IdempotentReplay | null> {
  const { incident, note } = change;
  const noteItem = note ? [{ ...noteKey(incident.tenantId, incident.id, note.id), entity: 'IncidentNote', ...note }] : [];
  return incidents.save(change, actor, expectedVersion, ifMatch, { ...linked, extraItems: [...noteItem, ...(linked.extraItems ?? [])], idempotency });
}

/** One incident by id, strongly consistent (the caller may be about to write it). */
export const getIncident = incidents.get;

/** One incident by its number (INC0001001): the keys-only number index, then the record. */
export const getIncidentByNumber = incidents.getByNumber;

export interface QueueRequest {
  readonly queue: IncidentQueue;
  readonly value?: string | undefined;
  readonly priority?: Priority | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of a queue, ordered by priority then age: one Query on the queue's index, never a Scan. */
export async function listIncidents(tenantId: string, request: QueueRequest): Promise<Page<IncidentSummary>> {
  const { indexName, partitionKey } = incidentQueueKey(tenantId, request.queue, request.value);
  const partitionAttribute = `${indexName}PK`;
  const byPriority = request.priority !== undefined;
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: byPriority ? `${partitionAttribute} = :pk AND begins_with(${QUEUE_SORT_KEY}, :p)` : `${partitionAttribute} = :pk`,
      ExpressionAttributeValues: { ':pk': partitionKey, ...(byPriority ? { ':p': queuePriorityPrefix(request.priority as number) } : {}) },
      Limit: request.limit,
      partition: { attribute: partitionAttribute, value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as IncidentSummary), nextCursor: page.nextCursor };
}

/** An audit entry as returned by the history API. */
export interface AuditEntry {
  readonly auditId: string;
  readonly action: string;
  readonly version: number;
  readonly actorId: string;
  readonly actorRoles: string[];
  readonly at: string;
  readonly changes: { field: string; from: unknown; to: unknown }[];
  readonly facts: Record<string, unknown>;
  readonly eventId: string;
}

/** The incident's history, oldest first. */
export async function listIncidentHistory(tenantId: string, incidentId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  return listChildren<AuditEntry>(tenantId, incidentId, AUDIT_PREFIX, limit, cursor);
}

/** The incident's notes and comments, oldest first. */
export async function listIncidentNotes(tenantId: string, incidentId: string, limit: number, cursor?: string): Promise<Page<IncidentNote>> {
  return listChildren<IncidentNote>(tenantId, incidentId, NOTE_PREFIX, limit, cursor);
}

async function listChildren<T>(tenantId: string, incidentId: string, prefix: string, limit: number, cursor?: string): Promise<Page<T>> {
  const { PK } = incidentKey(tenantId, incidentId);
  const page = await queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': prefix },
      Limit: limit,
      partition: { attribute: 'PK', value: PK },
    },
    cursor,
  );
  return { items: page.items.map((item) => withoutStorageAttributes<T>(item)), nextCursor: page.nextCursor };
}

/** The whole history of an incident, oldest first (for replaying its SLA clocks). */
export async function listWholeIncidentHistory(tenantId: string, incidentId: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listIncidentHistory(tenantId, incidentId, 500, cursor);
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}
