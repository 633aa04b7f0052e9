/**
 * Exports: starting one (tenant admin or operator) and running it, a
 * bounded batch per invocation of the export worker. Each batch reads on
 * from the job's cursor through the tenant's partition registry, writes
 * one JSON Lines file per record type it met, and saves its progress on
 * the job; that save's event (`TenantExportProgressed`) starts the next
 * batch, until the walk ends (`TenantExportCompleted`).
 * @module
 */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import type { IdempotencyClaim, IdempotentReplay } from '#shared/data/commit-mutation.js';
import { PARTITION_REGISTRY_SHARDS } from '#shared/data/keys.js';
import { PARTITION_ENTITY } from '#shared/data/partition-registry.js';
import { getExport, insertExport, saveExport } from '#shared/data/tenants/export-repository.js';
import { partitionItems, registeredPartitions } from '#shared/data/tenants/tenant-items.js';
import { ServiceUnavailableError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { advanceExport, type ExportBatch, type ExportCursor, type ExportJob, failExport, startExport } from '#shared/domain/tenants/export-job.js';
import { type ExportStore, exportStore } from './export-store.js';

/** Operational items, not records: transient (TTL) or the registry itself. */
const NOT_EXPORTED = new Set(['OutboxEvent', 'IdempotencyRecord', PARTITION_ENTITY]);

/** What one batch may do: items read, and pages of the registry. */
export const EXPORT_BATCH = { maxItems: 2_000, registryPage: 100, itemPage: 500 } as const;

export async function requestExport(
  actor: Actor,
  idempotency: Omit<IdempotencyClaim, 'response'> | undefined,
  response: (job: ExportJob) => unknown,
): Promise<{ job: ExportJob } | { replay: IdempotentReplay }> {
  const id = ulid();
  const job = startExport(
    { id, tenantId: actor.tenantId, location: exportStore().locationOf(actor.tenantId, id) },
    { userId: actor.userId, now: now().toISOString() },
  );
  const replay = await insertExport(job, actor, idempotency && { ...idempotency, response: response(job) });
  return replay ? { replay } : { job };
}

/** The worker's identity in the audit trail. */
function workerActor(tenantId: string): Actor {
  return { tenantId, userId: 'system:tenant-export', roles: [] };
}

/** JSON with DynamoDB's sets as arrays (a Set would serialise as `{}`). */
function jsonLine(item: Record<string, unknown>): string {
  return JSON.stringify(item, (_key, value) => (value instanceof Set ? [...value] : value));
}

/**
 * Reads on from `cursor` for at most `maxItems` items: the records met,
 * grouped by type, and where to go on (`null` at the end of the walk).
 */
export async function readBatch(
  tenantId: string,
  cursor: ExportCursor,
  limits: { maxItems: number; registryPage: number; itemPage: number } = EXPORT_BATCH,
): Promise<{ byType: Map<string, Record<string, unknown>[]>; partitionsDone: number; cursor: ExportCursor | null }> {
  const byType = new Map<string, Record<string, unknown>[]>();
  let { shard, registryStart, partition, partitionStart } = cursor;
  let read = 0;
  let partitionsDone = 0;
  while (shard < PARTITION_REGISTRY_SHARDS) {
    const page = await registeredPartitions(tenantId, shard, registryStart, limits.registryPage);
    // Resume inside the partition the last batch stopped in (the first of this page, by construction).
    const pending = partition ? page.partitions.slice(page.partitions.indexOf(partition) < 0 ? 0 : page.partitions.indexOf(partition)) : page.partitions;
    for (const pk of pending) {
      let start = pk === partition ? partitionStart : null;
      do {
        const items = await partitionItems(pk, start, Math.min(limits.itemPage, limits.maxItems - read));
        for (const item of items.items) {
          const type = typeof item.entity === 'string' ? item.entity : 'Unknown';
          if (NOT_EXPORTED.has(type)) continue;
          byType.set(type, [...(byType.get(type) ?? []), item]);
        }
        read += items.items.length;
        start = items.next;
        if (read >= limits.maxItems && start) return { byType, partitionsDone, cursor: { shard, registryStart, partition: pk, partitionStart: start } };
      } while (start);
      partitionsDone += 1;
      partition = null;
      partitionStart = null;
      if (read >= limits.maxItems) {
        const rest = pending.slice(pending.indexOf(pk) + 1);
        if (rest.length > 0) return { byType, partitionsDone, cursor: { shard, registryStart, partition: rest[0] as string, partitionStart: null } };
        return { byType, partitionsDone, cursor: page.next ? { shard, registryStart: page.next, partition: null, partitionStart: null } : next(shard) };
      }
    }
    if (page.next) registryStart = page.next;
    else {
      shard += 1;
      registryStart = null;
    }
  }
  return { byType, partitionsDone, cursor: null };
}

function next(shard: number): ExportCursor | null {
  return shard + 1 < PARTITION_REGISTRY_SHARDS ? { shard: shard + 1, registryStart: null, partition: null, partitionStart: null } : null;
}

/**
 * One batch of an export: read, write the files, save the progress (whose
 * event triggers the next batch). A redelivered event for a version the
 * job has moved past does nothing, so each batch runs once.
 */
export async function runExportBatch(tenantId: string, exportId: string, version: number, store: ExportStore = exportStore()): Promise<ExportJob | null> {
  const job = await getExport(tenantId, exportId);
  if (job?.status !== 'running' || job.version !== version || !job.cursor) return null;
  const by = { userId: workerActor(tenantId).userId, now: now().toISOString() };
  let advanced: ExportJob;
  try {
    const batch = await readBatch(tenantId, job.cursor);
    const part = String(job.batches + 1).padStart(5, '0');
    const files: string[] = [];
    const itemsByType: Record<string, number> = {};
    for (const [type, items] of batch.byType) {
      const file = `${type}/part-${part}.jsonl`;
      await store.put(tenantId, exportId, file, `${items.map(jsonLine).join('\n')}\n`);
      files.push(file);
      itemsByType[type] = items.length;
    }
    const result: ExportBatch = { partitionsDone: batch.partitionsDone, itemsByType, files, cursor: batch.cursor };
    advanced = advanceExport(job, result, by);
  } catch (error) {
    // An outage is retried (the event is redelivered; nothing was saved); anything else ends the job.
    if (error instanceof ServiceUnavailableError) throw error;
    advanced = failExport(job, (error as Error).message, by);
  }
  await saveExport(advanced, workerActor(tenantId), job.version);
  return advanced;
}
