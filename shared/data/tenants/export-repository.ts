/**
 * Export jobs: one record per export in the tenant's own keys (audited,
 * versioned; each batch's progress is a mutation whose event drives the
 * next batch).
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay } from '#shared/data/commit-mutation.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ExportJob } from '#shared/domain/tenants/export-job.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { exportKey, exportList } from './keys.js';

type ExportEventType = 'TenantExportRequested' | 'TenantExportProgressed' | 'TenantExportCompleted' | 'TenantExportFailed';

export type ExportSummary = Pick<ExportJob, 'id' | 'status' | 'requestedAt' | 'completedAt' | 'itemsWritten'>;

function item(job: ExportJob) {
  const summary: ExportSummary = { id: job.id, status: job.status, requestedAt: job.requestedAt, completedAt: job.completedAt, itemsWritten: job.itemsWritten };
  return {
    ...exportKey(job.tenantId, job.id),
    entity: 'TenantExport',
    GSI1PK: exportList(job.tenantId).partitionKey,
    QSK: `${job.requestedAt}#${job.id}`,
    summary,
    ...job,
  };
}

function eventOf(type: ExportEventType, job: ExportJob, actor: Actor) {
  return recordEvent(type, job, actor, { exportId: job.id });
}

export function insertExport(job: ExportJob, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'TenantExport',
    recordId: job.id,
    write: { kind: 'create', item: item(job) },
    audit: { action: 'request', version: job.version, changes: [], facts: { location: job.location } },
    event: eventOf('TenantExportRequested', job, actor),
    idempotency,
  });
}

export async function saveExport(job: ExportJob, actor: Actor, expectedVersion: number): Promise<void> {
  const type: ExportEventType =
    job.status === 'completed' ? 'TenantExportCompleted' : job.status === 'failed' ? 'TenantExportFailed' : 'TenantExportProgressed';
  await commitMutation({
    actor,
    recordType: 'TenantExport',
    recordId: job.id,
    write: { kind: 'replace', item: item(job), expectedVersion, ifMatch: false },
    audit: {
      action: job.status === 'running' ? 'progress' : job.status,
      version: job.version,
      changes: [],
      facts: { itemsWritten: job.itemsWritten, batches: job.batches, ...(job.error ? { error: job.error } : {}) },
    },
    event: eventOf(type, job, actor),
  });
}

export async function getExport(tenantId: string, exportId: string): Promise<ExportJob | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: exportKey(tenantId, exportId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<ExportJob>(result.Item) : null;
}

/** The tenant's latest export, or null. */
export async function latestExport(tenantId: string): Promise<ExportSummary | null> {
  const page = await querySummaryPage<ExportSummary>(exportList(tenantId), { limit: 1, newestFirst: true });
  return page.items[0] ?? null;
}
