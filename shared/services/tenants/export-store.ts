/**
 * Where export files go: S3 in AWS (`EXPORT_BUCKET`, server-side
 * encrypted, one object per file), a folder locally (`EXPORT_DIR`, set by
 * the local stack to `.local/exports`). The export worker only names files
 * relative to the export's location.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';

export interface ExportStore {
  /** Where an export's files are, for the job record (`s3://…/` or a folder). */
  locationOf(tenantId: string, exportId: string): string;
  /** Writes one file of an export. */
  put(tenantId: string, exportId: string, file: string, body: string): Promise<void>;
}

function prefixOf(tenantId: string, exportId: string): string {
  return `exports/${tenantId}/${exportId}/`;
}

export function s3ExportStore(client: Pick<S3Client, 'send'>, bucket: string): ExportStore {
  return {
    locationOf: (tenantId, exportId) => `s3://${bucket}/${prefixOf(tenantId, exportId)}`,
    async put(tenantId, exportId, file, body) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: `${prefixOf(tenantId, exportId)}${file}`, Body: body, ContentType: 'application/x-ndjson' }),
      );
    },
  };
}

export function folderExportStore(root: string): ExportStore {
  const base = resolve(root);
  return {
    locationOf: (tenantId, exportId) => join(base, tenantId, exportId),
    async put(tenantId, exportId, file, body) {
      const path = resolve(base, tenantId, exportId, file);
      // Names come from record types (safe ids), but the folder is checked anyway.
      if (!path.startsWith(`${base}/`)) throw new Error(`Export file outside the export folder: ${file}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    },
  };
}

let configured: ExportStore | undefined;

/** The deployment's export store: the bucket when `EXPORT_BUCKET` is set, else the folder `EXPORT_DIR`. */
export function exportStore(): ExportStore {
  if (configured) return configured;
  const bucket = process.env.EXPORT_BUCKET;
  const folder = process.env.EXPORT_DIR;
  if (bucket) configured = s3ExportStore(traced(new S3Client(awsClientConfig('S3_ENDPOINT'))), bucket);
  else if (folder) configured = folderExportStore(folder);
  else throw new Error('Neither EXPORT_BUCKET nor EXPORT_DIR is set');
  return configured;
}
