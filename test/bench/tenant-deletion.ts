/**
 * Deleting a tenant of N items, as the deletion worker does it: the items
 * are written through the one data client (so the partition registry
 * records their partitions, as in production), ten to a partition like a
 * record and its audit entries, one in ten carrying a queue-index key; then
 * the worker's batches run back to back until a count through the registry
 * finds zero, and a Scan (here only: it is a benchmark) confirms it.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import { PARTITION_REGISTRY_SHARDS } from '#shared/data/keys.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

export interface DeletionFigures extends CapacityReading {
  items: number;
  partitions: number;
  loadSeconds: number;
  deleteSeconds: number;
  batches: number;
  itemsDeleted: number;
  itemsLeftByRegistry: number;
  itemsLeftByScan: number;
}

const PER_PARTITION = 10;

export async function measureTenantDeletion(_stack: LocalStack, items: number): Promise<DeletionFigures> {
  // The stack set the data layer's environment; load it now.
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { db, tableName } = await import('#shared/data/client.js');
  const { deleteBatch, DELETION_BATCH } = await import('#shared/services/tenants/tenant-deletion.js');
  const { countTenantItems } = await import('#shared/data/tenants/tenant-items.js');
  const tenantId = `bench-delete-${Date.now().toString(36)}`;
  const partitions = Math.ceil(items / PER_PARTITION);
  const loadStarted = performance.now();
  const writes: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  for (let index = 0; index < items; index++) {
    const partition = Math.floor(index / PER_PARTITION);
    const first = index % PER_PARTITION === 0;
    batch.push({
      PK: `TENANT#${tenantId}#INCIDENT#${String(partition).padStart(7, '0')}`,
      SK: first ? 'INCIDENT' : `AUDIT#${String(index).padStart(8, '0')}`,
      entity: first ? 'Incident' : 'AuditEntry',
      ...(first
        ? { GSI1PK: `TENANT#${tenantId}#INCIDENTS`, QSK: `P3#${String(partition).padStart(7, '0')}`, summary: { title: 'Printer on fire', status: 'new' } }
        : {}),
      body: 'x'.repeat(160),
    });
    if (batch.length === 25) {
      writes.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) writes.push(batch);
  // Four writers side by side: the load is setup, not what is measured.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < writes.length) {
        const chunk = writes[next++] as Record<string, unknown>[];
        let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
          pending = (result.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
        }
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  takeCapacityReading();
  const started = performance.now();
  let shard = 0;
  let batches = 0;
  let itemsDeleted = 0;
  const noIdentities = { deleteUser: async () => undefined };
  // The worker's loop without the bus between batches (each batch would also save its progress: one transaction of three items).
  for (let round = 0; round < 10_000; round++) {
    const step = await deleteBatch(tenantId, shard, DELETION_BATCH, noIdentities);
    batches += 1;
    itemsDeleted += step.itemsDeleted;
    shard = step.shardsDone;
    if (shard >= PARTITION_REGISTRY_SHARDS) break;
  }
  const left = await countTenantItems(tenantId);
  const deleteSeconds = (performance.now() - started) / 1000;
  const reading = takeCapacityReading();

  let scanned = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :prefix)',
        ExpressionAttributeValues: { ':prefix': `TENANT#${tenantId}#` },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    scanned += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  takeCapacityReading();

  return { ...reading, items, partitions, loadSeconds, deleteSeconds, batches, itemsDeleted, itemsLeftByRegistry: left.items, itemsLeftByScan: scanned };
}
