/**
 * The storage of one kind of versioned record (incident, change, release,
 * problem, plan, article, catalogue item, CI): how a domain mutation of it
 * is committed — the record, its audit entry and its outbox event in one
 * transaction (`commitMutation`) — and how it is read back by id and by
 * number. Each repository says only what differs: its keys, its stored
 * form, and which record a mutation carries.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay, type Mutation, mutationAudit } from '#shared/data/commit-mutation.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { idByNumber } from '#shared/data/number-lookup.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import type { Actor } from '#shared/domain/roles.js';
import type { EventType } from '#shared/events/catalogue.js';
import { recordEvent } from '#shared/events/outbox-event.js';

/** What every stored record has. */
export interface StoredRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly version: number;
  readonly updatedAt: string;
}

/** What every domain mutation of a record says: the audit entry and the event are made from it. */
export type RecordMutation = RecordChange<EventType>;

/** The parts of a commit beyond the record, its audit entry and its event. */
export type CommitExtras = Pick<Mutation, 'followingEvents' | 'extraItems' | 'relatedUpdates' | 'relatedDeletes' | 'quota'> & {
  readonly idempotency?: IdempotencyClaim | undefined;
};

/** One kind of record, as its repository describes it. */
export interface RecordKind<R extends StoredRecord, M extends RecordMutation> {
  /** The audit entries' `recordType` (`Change`). */
  readonly recordType: string;
  /** The event detail member naming the record (`changeId`). */
  readonly idMember: string;
  readonly key: (tenantId: string, id: string) => PrimaryKey;
  readonly toItem: (record: R) => Record<string, unknown> & PrimaryKey;
  readonly fromItem: (item: Record<string, unknown>) => R;
  /** The record as the mutation leaves it. */
  readonly recordOf: (mutation: M) => R;
  /** Event detail members of this kind beyond the id, changes and facts. */
  readonly eventDetail?: (mutation: M) => Readonly<Record<string, unknown>>;
}

/** The commit and read operations of one kind of record. */
export interface RecordStore<R extends StoredRecord, M extends RecordMutation> {
  /** The outbox event of a mutation (for a repository that writes it with other items). */
  event(mutation: M, actor: Pick<Actor, 'userId' | 'roles'>): ReturnType<typeof recordEvent>;
  /** Writes a new record; a reused idempotency key yields the earlier response instead. */
  insert(mutation: M, actor: Actor, extras?: CommitExtras): Promise<IdempotentReplay | null>;
  /** Writes a changed record if nobody changed it since `expectedVersion` (412 with If-Match, 409 otherwise). */
  save(mutation: M, actor: Actor, expectedVersion: number, ifMatch: boolean, extras?: CommitExtras): Promise<IdempotentReplay | null>;
  /** One record by id, strongly consistent (the caller may be about to write it). */
  get(tenantId: string, id: string): Promise<R | null>;
  /** One record by its number: the keys-only number index, then the record. */
  getByNumber(tenantId: string, number: string): Promise<R | null>;
}

export function recordStore<R extends StoredRecord, M extends RecordMutation>(kind: RecordKind<R, M>): RecordStore<R, M> {
  const event: RecordStore<R, M>['event'] = (mutation, actor) => {
    const record = kind.recordOf(mutation);
    return recordEvent(mutation.eventType, record, actor, {
      [kind.idMember]: record.id,
      ...kind.eventDetail?.(mutation),
      changes: mutation.changes,
      facts: mutation.facts,
    });
  };
  const commit = (mutation: M, actor: Actor, write: Mutation['write'], extras: CommitExtras) => {
    const record = kind.recordOf(mutation);
    return commitMutation({
      actor,
      recordType: kind.recordType,
      recordId: record.id,
      write,
      audit: mutationAudit(mutation, record.version),
      event: event(mutation, actor),
      ...extras,
    });
  };
  const get = async (tenantId: string, id: string) => {
    const result = await db.send(new GetCommand({ TableName: tableName(), Key: kind.key(tenantId, id), ConsistentRead: true }));
    return result.Item ? kind.fromItem(result.Item) : null;
  };
  return {
    event,
    insert: (mutation, actor, extras = {}) => commit(mutation, actor, { kind: 'create', item: kind.toItem(kind.recordOf(mutation)) }, extras),
    save: (mutation, actor, expectedVersion, ifMatch, extras = {}) =>
      commit(mutation, actor, { kind: 'replace', item: kind.toItem(kind.recordOf(mutation)), expectedVersion, ifMatch }, extras),
    get,
    async getByNumber(tenantId, number) {
      const id = await idByNumber(tenantId, number);
      return id ? get(tenantId, id) : null;
    },
  };
}
