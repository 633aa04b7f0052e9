/**
 * Every item of a tenant, found without a Scan: the partition registry
 * (`../partition-registry.ts`) lists the tenant's partitions in
 * {@link PARTITION_REGISTRY_SHARDS} registry partitions, and each
 * partition is one Query. Export reads through here; deletion deletes
 * through here and counts what is left. Background work only (outside any
 * tenant scope, with the worker's own table grant).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { PARTITION_REGISTRY_SHARDS, type PrimaryKey, partitionRegistryPartition } from '#shared/data/keys.js';
import { registryShardOf } from '#shared/data/partition-registry.js';

export type StartKey = Record<string, unknown> | null;

/** A page of the partitions registered in one shard. */
export async function registeredPartitions(tenantId: string, shard: number, start: StartKey, limit: number): Promise<{ partitions: string[]; next: StartKey }> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partitionRegistryPartition(tenantId, shard) },
      ProjectionExpression: 'SK',
      ExclusiveStartKey: start ?? undefined,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return { partitions: (result.Items ?? []).map((item) => item.SK as string), next: result.LastEvaluatedKey ?? null };
}

/** A page of one partition's items (whole items, or `projection` only). */
export async function partitionItems(
  partition: string,
  start: StartKey,
  limit: number,
  projection?: string,
): Promise<{ items: Record<string, unknown>[]; next: StartKey }> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ExclusiveStartKey: start ?? undefined,
      Limit: limit,
      ConsistentRead: true,
      ...(projection ? { ProjectionExpression: projection } : {}),
    }),
  );
  return { items: result.Items ?? [], next: result.LastEvaluatedKey ?? null };
}

/** Deletes `keys` (any number) 25 to a call, sending unprocessed ones again with a growing pause; bounded attempts. */
export async function deleteKeys(keys: readonly PrimaryKey[]): Promise<number> {
  for (let start = 0; start < keys.length; start += 25) {
    let pending = keys.slice(start, start + 25).map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8) throw new Error(`${pending.length} deletes still unprocessed after 8 attempts`);
      if (attempt > 0) await sleep(20 * 2 ** attempt);
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (result.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
  }
  return keys.length;
}

/** Removes a partition from the registry (after it was found empty). */
export async function unregisterPartition(tenantId: string, partition: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: { PK: partitionRegistryPartition(tenantId, registryShardOf(partition)), SK: partition } }));
}

/** Items in one partition: a Select COUNT, paged (1 MB a page), consistent. */
export async function countPartition(partition: string): Promise<number> {
  let count = 0;
  let start: StartKey = null;
  do {
    const result: { Count?: number; LastEvaluatedKey?: Record<string, unknown> } = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: start ?? undefined,
      }),
    );
    count += result.Count ?? 0;
    start = result.LastEvaluatedKey ?? null;
  } while (start);
  return count;
}

/**
 * Items left under the tenant's keys: the registry entries of every
 * shard, plus the items of every partition they still name. Zero means the
 * tenant has no item left that any write ever registered.
 */
export async function countTenantItems(tenantId: string): Promise<{ partitions: number; items: number }> {
  let partitions = 0;
  let items = 0;
  for (let shard = 0; shard < PARTITION_REGISTRY_SHARDS; shard++) {
    let start: StartKey = null;
    do {
      const page = await registeredPartitions(tenantId, shard, start, 100);
      partitions += page.partitions.length;
      // The registry entry is an item under the tenant's keys too.
      items += page.partitions.length;
      for (const partition of page.partitions) items += await countPartition(partition);
      start = page.next;
    } while (start);
  }
  return { partitions, items };
}
