/**
 * The single table's shape, in one place: the CDK stateful stack and the
 * local runtime both build the table from this, so they cannot drift.
 * @module
 */

export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';
/** Epoch seconds; DynamoDB deletes the item some time after (outbox, idempotency records). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** One sort key shared by every queue index: priority, then age, then id. */
export const QUEUE_SORT_KEY = 'QSK';
/** A compact copy of the record that queue indexes project, so a page of a queue is one Query. */
export const SUMMARY_ATTRIBUTE = 'summary';

export type IndexProjection = { readonly type: 'ALL' } | { readonly type: 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  /** Absent for a hash-only index. */
  readonly sortKey?: string;
  readonly projection: IndexProjection;
  /** Which access pattern the index serves, for the README table. */
  readonly purpose: string;
}

/**
 * Queue indexes project only the summary map, not the whole record: an
 * index entry then stays under 1 KB whatever the description or notes
 * length, which halves the write cost of each index per change and the
 * read cost of each page (and 2 attributes per index stay far below
 * DynamoDB's limit of 100 projected attributes per table).
 */
const QUEUE_PROJECTION: IndexProjection = { type: 'INCLUDE', attributes: ['entity', SUMMARY_ATTRIBUTE] };

/**
 * Overloaded global secondary indexes. Keys carry an entity prefix, so the
 * same index serves incidents now and problems or changes later.
 */
export const GLOBAL_INDEXES: readonly IndexDefinition[] = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'all records of a type in a tenant' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'by status' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'by assignment group' },
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'by assignee' },
  { indexName: 'GSI5', partitionKey: 'GSI5PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'by requester' },
  { indexName: 'GSI6', partitionKey: 'GSI6PK', sortKey: QUEUE_SORT_KEY, projection: QUEUE_PROJECTION, purpose: 'by configuration item' },
  // Keys only: a number lookup reads the record by its key afterwards, and the index costs almost nothing to keep.
  { indexName: 'GSI7', partitionKey: 'GSI7PK', projection: { type: 'KEYS_ONLY' }, purpose: 'by human-readable number (INC0001001)' },
];

/** Every key attribute, once; all are strings. */
export const KEY_ATTRIBUTES: readonly string[] = [
  ...new Set([PARTITION_KEY, SORT_KEY, ...GLOBAL_INDEXES.flatMap((index) => (index.sortKey ? [index.partitionKey, index.sortKey] : [index.partitionKey]))]),
];

/** Attributes that exist for the table's sake (keys, entity tag, queue summary, TTL), never part of a record. */
const STORAGE_ATTRIBUTES: ReadonlySet<string> = new Set(['entity', SUMMARY_ATTRIBUTE, TTL_ATTRIBUTE, ...KEY_ATTRIBUTES]);

/** The record an item stores, without the storage attributes. */
export function withoutStorageAttributes<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;
}
