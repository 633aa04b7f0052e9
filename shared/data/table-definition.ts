/**
 * The single table's shape, in one place: the CDK stateful stack and the
 * local runtime both build the table from this, so they cannot drift.
 * @module
 */

export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';
/** Epoch seconds; DynamoDB deletes the item some time after (outbox, idempotency records). */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Which access pattern the index serves, for the README table. */
  readonly purpose: string;
}

/**
 * Overloaded global secondary indexes. Keys carry an entity prefix, so the
 * same index serves incidents now and problems or changes later. All
 * project every attribute: a queue page is then one Query with no GetItem
 * per row.
 */
export const GLOBAL_INDEXES: readonly IndexDefinition[] = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', purpose: 'all records of a type in a tenant, by priority then age' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', purpose: 'by status' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', purpose: 'by assignment group' },
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', purpose: 'by assignee' },
  { indexName: 'GSI5', partitionKey: 'GSI5PK', sortKey: 'GSI5SK', purpose: 'by requester' },
  { indexName: 'GSI6', partitionKey: 'GSI6PK', sortKey: 'GSI6SK', purpose: 'by configuration item' },
  { indexName: 'GSI7', partitionKey: 'GSI7PK', sortKey: 'GSI7SK', purpose: 'by human-readable number (INC0001001)' },
];

/** Every key attribute; all are strings. */
export const KEY_ATTRIBUTES: readonly string[] = [PARTITION_KEY, SORT_KEY, ...GLOBAL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey])];
