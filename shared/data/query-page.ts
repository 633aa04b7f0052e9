/**
 * One page of a Query on one partition, the one way every list reads: the
 * cursor is decoded and checked against the partition on the way in, and
 * the next one encoded on the way out.
 * @module
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import { decodeCursor, encodeCursor, invalidCursorError, type Page } from './cursor.js';
import { AUDIT_PREFIX } from './keys.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from './table-definition.js';

export interface PartitionQuery extends Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'> {
  /** The key attribute that names the partition (`PK`, or an index's partition key) and its value. */
  readonly partition: { readonly attribute: string; readonly value: string };
}

export async function queryPage(query: PartitionQuery, cursor?: string): Promise<Page<Record<string, unknown>>> {
  const { partition, ...input } = query;
  const start = decodeCursor(cursor, partition.attribute, partition.value);
  try {
    const result = await db.send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: start }));
    const last = result.LastEvaluatedKey;
    // A full page may be the last one; DynamoDB cannot know without reading on, and neither do we.
    return { items: result.Items ?? [], nextCursor: last && last[partition.attribute] === partition.value ? encodeCursor(last) : null };
  } catch (error) {
    // A well-formed cursor whose key does not fit the query (another index, say).
    if ((error as { name?: string }).name === 'ValidationException' && start) throw invalidCursorError();
    throw error;
  }
}

/** A page of one partition's items whose sort key begins with `prefix` (a record's audit entries, notes, relationship edges). */
export function queryPrefixPage(
  partitionKey: string,
  prefix: string,
  page: { readonly limit: number; readonly cursor?: string | undefined; readonly projection?: string },
): Promise<Page<Record<string, unknown>>> {
  return queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partitionKey, ':prefix': prefix },
      ...(page.projection ? { ProjectionExpression: page.projection } : {}),
      Limit: page.limit,
      partition: { attribute: 'PK', value: partitionKey },
    },
    page.cursor,
  );
}

/** A page of a record's audit trail (the `AUDIT#` items of its partition), oldest first, without storage attributes. */
export async function auditTrailPage<T>(recordPk: string, page: { readonly limit: number; readonly cursor?: string | undefined }): Promise<Page<T>> {
  const result = await queryPrefixPage(recordPk, AUDIT_PREFIX, page);
  return { items: result.items.map((item) => withoutStorageAttributes<T>(item)), nextCursor: result.nextCursor };
}

/** A list partition of GSI1: a tenant's records of one kind, as the practices' list-key builders name it. */
export interface ListPartition {
  readonly indexName: string;
  readonly partitionKey: string;
}

/**
 * A page of the record summaries a GSI1 list partition holds, in sort-key
 * order (or newest first): the one read behind the lists that answer with
 * summaries, so none needs the whole record.
 */
export async function querySummaryPage<T>(
  list: ListPartition,
  page: { readonly limit: number; readonly cursor?: string | undefined; readonly newestFirst?: boolean },
): Promise<Page<T>> {
  const result = await queryPage(
    {
      IndexName: list.indexName,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': list.partitionKey },
      ...(page.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: page.limit,
      partition: { attribute: 'GSI1PK', value: list.partitionKey },
    },
    page.cursor,
  );
  return { items: result.items.map((item) => item[SUMMARY_ATTRIBUTE] as T), nextCursor: result.nextCursor };
}

/**
 * Every page of a Query, one at a time (at most `maxPages`), for reads that
 * need a whole partition: a CI's edges, a tenant's CI list, a queue.
 */
export async function* queryEachPage(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  maxPages = Number.POSITIVE_INFINITY,
): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await db.send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: start }));
    yield result.Items ?? [];
    start = result.LastEvaluatedKey;
    if (!start) return;
  }
}
