/**
 * Writing many independent items (search postings, trend occurrences): one
 * BatchWriteItem per 25 requests, a few in parallel, asking again for
 * unprocessed items (with backoff) until none remain. Not a transaction:
 * only for derived items that a retry of the whole job rewrites the same.
 * @module
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import type { PrimaryKey } from './keys.js';

/** DynamoDB's limit of requests per BatchWriteItem. */
const REQUESTS_PER_CALL = 25;
const CONCURRENCY = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type BatchWriteRequest = { readonly put: Record<string, unknown> & PrimaryKey } | { readonly delete: PrimaryKey };

/** Writes every request; returns how many BatchWriteItem calls it took. */
export async function batchWriteItems(requests: readonly BatchWriteRequest[]): Promise<number> {
  const TableName = tableName();
  const chunks: BatchWriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += REQUESTS_PER_CALL) chunks.push(requests.slice(i, i + REQUESTS_PER_CALL));
  let calls = 0;
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as BatchWriteRequest[];
      let pending: Record<string, unknown>[] = chunk.map((request) =>
        'put' in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: { PK: request.delete.PK, SK: request.delete.SK } } },
      );
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        calls += 1;
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [TableName]: pending as never } }));
        pending = (result.UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
  return calls;
}
