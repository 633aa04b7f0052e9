/**
 * The one way to write a change: the record, its audit entry and its
 * outbox event (and, for an idempotent create, the idempotency record) in a
 * single transaction. Either all of it is written or none of it.
 * @module
 */
import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { ConflictError, NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange, RecordChange } from '#shared/domain/record-change.js';
import type { Actor } from '#shared/domain/roles.js';
import { QuotaExceededError, type QuotaName } from '#shared/domain/tenant-limits.js';
import type { OutboxEvent } from '#shared/events/outbox-event.js';
import { countBusinessEvent } from '#shared/observability/metrics.js';
import { db, tableName } from './client.js';
import { auditKey, idempotencyKey, outboxKey, type PrimaryKey } from './keys.js';
import { retryOnConflict } from './retry.js';
import { isThrottledCancellation, storageThrottled, translateStorageError } from './storage-errors.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Outbox items outlive any stream retention (24 h) by a margin, then expire. */
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;
/** Clients retry with the same key for up to a day. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * What a create answered, stored so a retry gets the same answer. The data
 * layer keeps it as it is given and never looks inside: its shape belongs
 * to the caller (the HTTP layer's response), not to storage.
 */
export type StoredResponse = unknown;

export interface IdempotencyClaim {
  readonly key: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  readonly requestHash: string;
  readonly response: StoredResponse;
}

/**
 * How the record itself is written. `ifMatch` stays a flag beside the
 * expected version because it decides the answer to a stale write: the
 * version the caller named is gone (412, theirs to resolve) or a version we
 * read ourselves lost a race (409, which `mutateRecord` retries on a fresh
 * read). Only the transaction knows the write was stale, not some other
 * condition, so the choice cannot be made after it.
 */
export type RecordWrite =
  | { readonly kind: 'create'; readonly item: Record<string, unknown> & PrimaryKey }
  | { readonly kind: 'replace'; readonly item: Record<string, unknown> & PrimaryKey; readonly expectedVersion: number; readonly ifMatch: boolean }
  | {
      readonly kind: 'update';
      readonly key: PrimaryKey;
      readonly update: Pick<
        NonNullable<TransactItem['Update']>,
        'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
      >;
      readonly ifMatch: boolean;
    }
  | { readonly kind: 'delete'; readonly key: PrimaryKey; readonly expectedVersion: number; readonly ifMatch: boolean };

/**
 * A change to an existing item that must commit with the record, under its
 * own condition (the alert record that points at an incident).
 */
export interface RelatedUpdate {
  readonly key: PrimaryKey;
  readonly update: Pick<
    NonNullable<TransactItem['Update']>,
    'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  >;
}

/**
 * The audit entry of a domain mutation (its action, field changes and
 * facts) at the record's new `version`: what every repository's commit
 * records for a change of its record.
 */
export function mutationAudit(mutation: Omit<RecordChange<string>, 'eventType'>, version: number): Mutation['audit'] {
  return { action: mutation.action, version, changes: mutation.changes, facts: mutation.facts };
}

export interface Mutation {
  readonly actor: Actor;
  readonly recordType: string;
  readonly recordId: string;
  readonly write: RecordWrite;
  readonly audit: {
    readonly action: string;
    readonly version: number;
    readonly changes: readonly FieldChange[];
    readonly facts: Readonly<Record<string, unknown>>;
  };
  readonly event: OutboxEvent;
  /**
   * Further facts the same change establishes, announced with it (a task
   * completion that also fulfils its request): each its own outbox item.
   */
  readonly followingEvents?: readonly OutboxEvent[];
  /** Further items created with the change (a note), each new. */
  readonly extraItems?: readonly (Record<string, unknown> & PrimaryKey)[];
  /** Existing items changed with the record; a failed condition cancels everything (409). */
  readonly relatedUpdates?: readonly RelatedUpdate[];
  /** Existing items deleted with the record (the other edge of a relationship, a released claim); each must exist (409). */
  readonly relatedDeletes?: readonly PrimaryKey[];
  /** Further partitions that get a copy of the audit entry (both CIs of a relationship keep its history). */
  readonly auditAlsoIn?: readonly string[];
  readonly idempotency?: IdempotencyClaim | undefined;
  /** A tenant quota counter moved with the record: a create takes a unit (refused past the limit), a retire gives one back. */
  readonly quota?: QuotaClaim | undefined;
}

/**
 * One unit of a per-tenant quota, counted on a counter item in the same
 * transaction as the record, so the count is exact without a Scan and a
 * refused create writes nothing.
 */
export interface QuotaClaim {
  readonly key: PrimaryKey;
  readonly quota: QuotaName;
  /** +1 for a create (conditional on the count staying within `limit`), -1 when a record gives its unit back. */
  readonly delta: 1 | -1;
  readonly limit: number;
}

/** A create whose idempotency key was used before with the same request. */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}
}

/** Writes the mutation; returns a replay instead when the idempotency key was already used. */
export async function commitMutation(mutation: Mutation): Promise<IdempotentReplay | null> {
  const items = transactItems(mutation);
  try {
    // Another transaction touched the same item at the same moment: the
    // conditions are re-evaluated on retry, so retrying the same items is
    // always safe (the same audit entry and event, not new ones).
    await retryOnConflict(() => db.send(new TransactWriteCommand({ TransactItems: items })), { retryable: isTransactionConflict });
    // Every write path ends here, HTTP or background: the one place that knows an event really happened.
    for (const event of [mutation.event, ...(mutation.followingEvents ?? [])]) countBusinessEvent(event.detailType, mutation.actor.tenantId, event.eventId);
    return null;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw translateStorageError(error);
    const outcome = explainCancellation(mutation, items, error.CancellationReasons ?? []);
    if (outcome instanceof IdempotentReplay) return outcome;
    throw outcome;
  }
}

function isTransactionConflict(error: unknown): boolean {
  return error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
}

function transactItems(mutation: Mutation): TransactItem[] {
  const TableName = tableName();
  const now = mutation.event.detail.occurredAt;
  const recordPk = 'key' in mutation.write ? mutation.write.key.PK : mutation.write.item.PK;
  const items: TransactItem[] = [recordItem(TableName, mutation.write)];
  for (const extra of mutation.extraItems ?? []) {
    items.push({ Put: { TableName, Item: extra, ConditionExpression: 'attribute_not_exists(PK)' } });
  }
  for (const related of mutation.relatedUpdates ?? []) {
    items.push({ Update: { TableName, Key: related.key, ...related.update } });
  }
  for (const key of mutation.relatedDeletes ?? []) {
    items.push({ Delete: { TableName, Key: key, ConditionExpression: 'attribute_exists(PK)' } });
  }
  const auditId = ulid();
  items.push({
    Put: {
      TableName,
      Item: {
        ...auditKey(recordPk, auditId),
        entity: 'AuditEntry',
        auditId,
        recordType: mutation.recordType,
        recordId: mutation.recordId,
        action: mutation.audit.action,
        version: mutation.audit.version,
        actorId: mutation.actor.userId,
        actorRoles: [...mutation.actor.roles],
        at: now,
        changes: mutation.audit.changes,
        facts: mutation.audit.facts,
        eventId: mutation.event.eventId,
      },
    },
  });
  // The same entry, with the same id, in further partitions.
  const audit = items.at(-1)?.Put?.Item;
  for (const partition of mutation.auditAlsoIn ?? []) items.push({ Put: { TableName, Item: { ...audit, ...auditKey(partition, auditId) } } });
  const expiresAt = Math.floor(Date.parse(now) / 1000);
  for (const event of [mutation.event, ...(mutation.followingEvents ?? [])]) {
    items.push({
      Put: {
        TableName,
        Item: {
          ...outboxKey(mutation.actor.tenantId, event.eventId),
          entity: 'OutboxEvent',
          eventId: event.eventId,
          source: event.source,
          detailType: event.detailType,
          detail: event.detail,
          createdAt: now,
          expiresAt: expiresAt + OUTBOX_TTL_SECONDS,
        },
      },
    });
  }
  if (mutation.quota) items.push(quotaItem(TableName, mutation.quota, now));
  if (mutation.idempotency) {
    items.push({
      Put: {
        TableName,
        Item: {
          ...idempotencyKey(mutation.actor.tenantId, mutation.actor.userId, mutation.idempotency.key),
          entity: 'IdempotencyRecord',
          requestHash: mutation.idempotency.requestHash,
          response: mutation.idempotency.response,
          createdAt: now,
          expiresAt: expiresAt + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
        // The earlier response comes back with the cancellation: no extra read to replay it.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  }
  return items;
}

function quotaItem(TableName: string, claim: QuotaClaim, now: string): TransactItem {
  return {
    Update: {
      TableName,
      Key: claim.key,
      UpdateExpression: 'ADD #count :delta SET entity = :entity, #quota = :quota, updatedAt = :now',
      ...(claim.delta > 0 ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit' } : {}),
      ExpressionAttributeNames: { '#count': 'count', '#quota': 'quota' },
      ExpressionAttributeValues: {
        ':delta': claim.delta,
        ':entity': 'QuotaCounter',
        ':quota': claim.quota,
        ':now': now,
        ...(claim.delta > 0 ? { ':limit': claim.limit } : {}),
      },
    },
  };
}

/** The optimistic-concurrency condition: the stored version is still the one read. */
function versionIs(expectedVersion: number) {
  return {
    ConditionExpression: '#version = :expectedVersion',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
}

function recordItem(TableName: string, write: RecordWrite): TransactItem {
  switch (write.kind) {
    case 'create':
      return { Put: { TableName, Item: write.item, ConditionExpression: 'attribute_not_exists(PK)' } };
    case 'replace':
      return { Put: { TableName, Item: write.item, ...versionIs(write.expectedVersion) } };
    case 'update':
      return { Update: { TableName, Key: write.key, ...write.update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
    case 'delete':
      return { Delete: { TableName, Key: write.key, ...versionIs(write.expectedVersion) } };
  }
}

type Reason = NonNullable<TransactionCanceledException['CancellationReasons']>[number];

function explainCancellation(mutation: Mutation, items: TransactItem[], reasons: Reason[]): Error | IdempotentReplay {
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  const idempotencyIndex = mutation.idempotency ? items.length - 1 : -1;
  if (idempotencyIndex >= 0 && failed(idempotencyIndex)) {
    const stored = reasons[idempotencyIndex]?.Item;
    const previous = stored ? (unmarshall(stored as Record<string, AttributeValue>) as { requestHash?: string; response?: StoredResponse }) : undefined;
    if (previous?.response === undefined || previous.requestHash !== mutation.idempotency?.requestHash) {
      return new UnprocessableError('This Idempotency-Key was already used with a different request.', { idempotencyKey: mutation.idempotency?.key });
    }
    return new IdempotentReplay(previous.response);
  }
  const quotaIndex = mutation.quota ? items.length - 1 - (mutation.idempotency ? 1 : 0) : -1;
  if (quotaIndex >= 0 && failed(quotaIndex) && mutation.quota) return new QuotaExceededError(mutation.quota.quota, mutation.quota.limit);
  if (failed(0)) {
    const write = mutation.write;
    if (write.kind === 'create') return new ConflictError(`${mutation.recordType} ${mutation.recordId} already exists.`);
    if (reasons[0]?.Item === undefined) return new NotFoundError(`${mutation.recordType} ${mutation.recordId} was not found.`);
    const stale = `${mutation.recordType} ${mutation.recordId} was changed by someone else; read it again and retry.`;
    return write.ifMatch ? new PreconditionFailedError(stale) : new ConflictError(stale);
  }
  const extras = mutation.extraItems?.length ?? 0;
  const related = (mutation.relatedUpdates?.length ?? 0) + (mutation.relatedDeletes?.length ?? 0);
  if (reasons.slice(1 + extras, 1 + extras + related).some((reason) => reason.Code === 'ConditionalCheckFailed')) {
    return new ConflictError('A related record was changed concurrently; read it again and retry.');
  }
  if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return new ConflictError('A related record already exists.');
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
    return new ConflictError(`${mutation.recordType} ${mutation.recordId} is being changed concurrently; retry.`);
  }
  if (isThrottledCancellation(reasons.map((reason) => reason.Code))) return storageThrottled();
  return new Error(`Transaction cancelled: ${reasons.map((reason) => reason.Code).join(', ')}`);
}

/**
 * The response stored under an idempotency key, read before a create that
 * has side effects outside the table (an identity created in Cognito): a
 * retry is then answered from here before it repeats them. `null` when the
 * key is new; 422 when it was used with another request.
 */
export async function priorIdempotentResponse(actor: Actor, claim: Omit<IdempotencyClaim, 'response'>): Promise<IdempotentReplay | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: idempotencyKey(actor.tenantId, actor.userId, claim.key), ConsistentRead: true }));
  const item = result.Item as { requestHash?: string; response?: StoredResponse } | undefined;
  if (!item) return null;
  if (item.requestHash !== claim.requestHash || item.response === undefined) {
    throw new UnprocessableError('This Idempotency-Key was already used with a different request.', { idempotencyKey: claim.key });
  }
  return new IdempotentReplay(item.response);
}
