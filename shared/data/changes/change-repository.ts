/**
 * Changes in the single table: the record and its audit trail share one
 * partition; lists and the calendar are Queries on the overloaded indexes
 * (all, by status, by requester), ordered by planned start.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import type { IdempotencyClaim, IdempotentReplay, RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { AuditEntry } from '#shared/data/incidents/incident-repository.js';
import { AUDIT_PREFIX, numberLookupKey } from '#shared/data/keys.js';
import { queryPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { Change, ChangeMutation } from '#shared/domain/changes/change.js';
import type { CalendarChange } from '#shared/domain/changes/change-calendar.js';
import { CALENDAR_STATUSES, type ChangeStatus } from '#shared/domain/changes/change-lifecycle.js';
import { pick } from '#shared/domain/pick.js';
import type { Actor } from '#shared/domain/roles.js';
import { type ChangeQueue, changeKey, changeQueueKey, changeSortKey, ciChangeLockKey } from './keys.js';

/** The fields a change list and the calendar show: projected by the queue indexes, stored once. */
export const CHANGE_SUMMARY_FIELDS = [
  'id',
  'number',
  'title',
  'type',
  'category',
  'status',
  'risk',
  'continuityImpact',
  'ciIds',
  'serviceIds',
  'plannedStart',
  'plannedEnd',
  'requesterId',
  'rolledBack',
  'releaseId',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof Change)[];
export type ChangeSummary = Pick<Change, (typeof CHANGE_SUMMARY_FIELDS)[number]>;

function summarise(change: Change): ChangeSummary {
  return pick(change, CHANGE_SUMMARY_FIELDS);
}

function toItem(change: Change) {
  const details: Record<string, unknown> = { ...change };
  for (const field of CHANGE_SUMMARY_FIELDS) delete details[field];
  const t = change.tenantId;
  return {
    ...changeKey(t, change.id),
    entity: 'Change',
    QSK: changeSortKey(change.plannedStart, change.id),
    GSI1PK: changeQueueKey(t, 'all').partitionKey,
    GSI2PK: changeQueueKey(t, 'status', change.status).partitionKey,
    GSI5PK: changeQueueKey(t, 'requester', change.requesterId).partitionKey,
    GSI7PK: numberLookupKey(t, change.number).partitionKey,
    [SUMMARY_ATTRIBUTE]: summarise(change),
    ...details,
    // Top-level too: the optimistic-concurrency condition reads it there.
    version: change.version,
  };
}

function fromItem(item: Record<string, unknown>): Change {
  // Records raised before retrospective changes existed were planned ahead: they read as not retrospective.
  const details = withoutStorageAttributes<Omit<Change, keyof ChangeSummary>>(item);
  return { ...details, retrospective: details.retrospective ?? false, ...(item[SUMMARY_ATTRIBUTE] as ChangeSummary) };
}

const changes = recordStore<Change, ChangeMutation>({
  recordType: 'Change',
  idMember: 'changeId',
  key: changeKey,
  toItem,
  fromItem,
  recordOf: (mutation) => mutation.change,
});

export async function insertChange(mutation: ChangeMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return changes.insert(mutation, actor, { idempotency });
}

/**
 * Writes a changed change if nobody changed it since `expectedVersion` (412
 * with If-Match, 409 otherwise), with `locks` (see {@link readCiLocks})
 * bumped in the same transaction: 409 if another submission took one first.
 */
export async function saveChange(
  mutation: ChangeMutation,
  actor: Actor,
  expectedVersion: number,
  ifMatch: boolean,
  locks: readonly RelatedUpdate[] = [],
): Promise<void> {
  await changes.save(mutation, actor, expectedVersion, ifMatch, locks.length > 0 ? { relatedUpdates: locks } : {});
}

/**
 * The change-scheduling locks of `ciIds` as read now, as updates that bump
 * each one only if it is still at the revision read. Read them before the
 * changes conflict detection looks at: a submission that commits in
 * between has bumped a lock, so the write fails and is retried on fresh
 * reads.
 */
export async function readCiLocks(tenantId: string, ciIds: readonly string[]): Promise<RelatedUpdate[]> {
  const revisions = await Promise.all(
    ciIds.map(async (ciId) => {
      const key = ciChangeLockKey(tenantId, ciId);
      const result = await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
      return { key, revision: (result.Item?.rev as number | undefined) ?? 0 };
    }),
  );
  return revisions.map(({ key, revision }) => ({
    key,
    update: {
      UpdateExpression: 'SET rev = :next, entity = :entity',
      ConditionExpression: revision === 0 ? 'attribute_not_exists(rev)' : 'rev = :seen',
      ExpressionAttributeValues: { ':next': revision + 1, ':entity': 'ChangeLock', ...(revision === 0 ? {} : { ':seen': revision }) },
    },
  }));
}

export const getChange = changes.get;

/** By number (CHG0001001): the keys-only number index, then the record. */
export const getChangeByNumber = changes.getByNumber;

export interface ChangeListRequest {
  readonly queue: ChangeQueue;
  readonly value?: string | undefined;
  /** Planned start at or after (ISO-8601 UTC). */
  readonly from?: string | undefined;
  /** Planned start before. */
  readonly to?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of changes in planned-start order: one Query, the time range a key condition. */
export async function listChanges(tenantId: string, request: ChangeListRequest): Promise<Page<ChangeSummary>> {
  const { indexName, partitionKey } = changeQueueKey(tenantId, request.queue, request.value);
  const pk = `${indexName}PK`;
  // `~` sorts after every character of an id, so `<to>~` bounds every key of a start before `to`.
  const range =
    request.from && request.to
      ? { condition: ` AND ${QUEUE_SORT_KEY} BETWEEN :from AND :to`, values: { ':from': request.from, ':to': request.to } }
      : request.from
        ? { condition: ` AND ${QUEUE_SORT_KEY} >= :from`, values: { ':from': request.from } }
        : request.to
          ? { condition: ` AND ${QUEUE_SORT_KEY} < :to`, values: { ':to': request.to } }
          : { condition: '', values: {} };
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: `${pk} = :pk${range.condition}`,
      ExpressionAttributeValues: { ':pk': partitionKey, ...range.values },
      Limit: request.limit,
      partition: { attribute: pk, value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as ChangeSummary), nextCursor: page.nextCursor };
}

async function wholeQueue(tenantId: string, request: Omit<ChangeListRequest, 'limit' | 'cursor'>): Promise<ChangeSummary[]> {
  const items: ChangeSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listChanges(tenantId, { ...request, limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/**
 * The changes holding windows on the calendar (scheduled or being
 * implemented; or any `statuses`) that start before `before`: one Query
 * per status, which the calendar and conflict detection read. Changes that start before
 * `before` may still overlap what follows; the caller checks the overlap.
 */
export async function listCalendarChanges(tenantId: string, before?: string, statuses: readonly ChangeStatus[] = CALENDAR_STATUSES): Promise<CalendarChange[]> {
  const lists = await Promise.all(statuses.map((status) => wholeQueue(tenantId, { queue: 'status', value: status, to: before ? `${before}~` : undefined })));
  return lists.flat();
}

/** Every change planned to start in `[from, to)` (for the success-rate figures). */
export function listChangesPlannedBetween(tenantId: string, from: string, to: string): Promise<ChangeSummary[]> {
  return wholeQueue(tenantId, { queue: 'all', from, to });
}

/** The change's history, oldest first. */
export async function listChangeHistory(tenantId: string, changeId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const { PK } = changeKey(tenantId, changeId);
  const page = await queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': AUDIT_PREFIX },
      Limit: limit,
      partition: { attribute: 'PK', value: PK },
    },
    cursor,
  );
  return { items: page.items.map((item) => withoutStorageAttributes<AuditEntry>(item)), nextCursor: page.nextCursor };
}
