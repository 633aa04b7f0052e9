/**
 * Reading many items by key: one BatchGetItem per 100 keys, in parallel,
 * asking again for unprocessed keys (with backoff) until none remain.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import type { PrimaryKey } from './keys.js';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_CALL = 100;

/** The items that exist among `keys` (eventually consistent unless `options.consistent`), in no particular order. */
export async function batchGetItems(
  keys: readonly PrimaryKey[],
  projection?: { readonly expression: string; readonly names?: Record<string, string> },
  options: { readonly consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const TableName = tableName();
  const found: Record<string, unknown>[] = [];
  const chunks: PrimaryKey[][] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_CALL) chunks.push(keys.slice(i, i + KEYS_PER_CALL));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Record<string, unknown>[] = chunk.map((key) => ({ PK: key.PK, SK: key.SK }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const result = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [TableName]: {
                Keys: pending,
                ...(options.consistent ? { ConsistentRead: true } : {}),
                ...(projection
                  ? { ProjectionExpression: projection.expression, ...(projection.names ? { ExpressionAttributeNames: projection.names } : {}) }
                  : {}),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[TableName] ?? []));
        pending = (result.UnprocessedKeys?.[TableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }),
  );
  return found;
}
