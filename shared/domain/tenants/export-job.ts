/**
 * An export of all of a tenant's records: a background job that walks the
 * tenant's partition registry a bounded batch at a time and writes JSON
 * Lines, one set of files per record type. Its progress is on the job
 * record; it is the backup a tenant admin takes and the first step of a
 * tenant's deletion.
 * @module
 */
import { IllegalTransitionError } from '#shared/domain/errors.js';

export const EXPORT_STATUSES = ['running', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * Where the walk is: the registry shard, the registry page within it, the
 * partition being read and the page within that partition. Opaque to
 * callers; only the export worker reads it.
 */
export interface ExportCursor {
  readonly shard: number;
  readonly registryStart: Record<string, unknown> | null;
  readonly partition: string | null;
  readonly partitionStart: Record<string, unknown> | null;
}

export interface ExportJob {
  readonly id: string;
  readonly tenantId: string;
  readonly status: ExportStatus;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly completedAt: string | null;
  /** Partitions read to the end. */
  readonly partitionsDone: number;
  readonly itemsWritten: number;
  /** Items written per record type (the `entity` of each item). */
  readonly itemsByType: Readonly<Record<string, number>>;
  /** Files written so far, relative to {@link location}. */
  readonly files: readonly string[];
  /** Where the files are: `s3://bucket/prefix/` in AWS, a folder locally. */
  readonly location: string;
  readonly batches: number;
  readonly cursor: ExportCursor | null;
  readonly error: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export function startExport(input: { id: string; tenantId: string; location: string }, by: { userId: string; now: string }): ExportJob {
  return {
    ...input,
    status: 'running',
    requestedAt: by.now,
    requestedBy: by.userId,
    completedAt: null,
    partitionsDone: 0,
    itemsWritten: 0,
    itemsByType: {},
    files: [],
    batches: 0,
    cursor: { shard: 0, registryStart: null, partition: null, partitionStart: null },
    error: null,
    updatedAt: by.now,
    updatedBy: by.userId,
    version: 1,
  };
}

/** What one batch did. */
export interface ExportBatch {
  readonly partitionsDone: number;
  readonly itemsByType: Readonly<Record<string, number>>;
  readonly files: readonly string[];
  /** Where the next batch starts; `null` when the walk is complete. */
  readonly cursor: ExportCursor | null;
}

/** Adds a batch to the job: still running, or completed when the walk ended. */
export function advanceExport(job: ExportJob, batch: ExportBatch, by: { userId: string; now: string }): ExportJob {
  if (job.status !== 'running') throw new IllegalTransitionError('advance', job.status, []);
  const itemsByType = { ...job.itemsByType };
  let written = 0;
  for (const [type, count] of Object.entries(batch.itemsByType)) {
    itemsByType[type] = (itemsByType[type] ?? 0) + count;
    written += count;
  }
  const done = batch.cursor === null;
  return {
    ...job,
    status: done ? 'completed' : 'running',
    completedAt: done ? by.now : null,
    partitionsDone: job.partitionsDone + batch.partitionsDone,
    itemsWritten: job.itemsWritten + written,
    itemsByType,
    files: [...job.files, ...batch.files],
    batches: job.batches + 1,
    cursor: batch.cursor,
    updatedAt: by.now,
    updatedBy: by.userId,
    version: job.version + 1,
  };
}

export function failExport(job: ExportJob, error: string, by: { userId: string; now: string }): ExportJob {
  return { ...job, status: 'failed', error: error.slice(0, 1000), cursor: null, updatedAt: by.now, updatedBy: by.userId, version: job.version + 1 };
}
