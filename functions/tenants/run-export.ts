/**
 * Target of the bus rule `TenantExportWorker`: one bounded batch of an
 * export per event (`TenantExportRequested`, then each
 * `TenantExportProgressed`). Throws on an outage, so EventBridge retries.
 * @module
 */
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { runExportBatch } from '#shared/services/tenants/tenant-export.js';

interface ExportEvent {
  readonly detail: { readonly tenantId?: string; readonly exportId?: string; readonly version?: number };
}

async function handle(event: ExportEvent): Promise<{ status: string | null }> {
  const { tenantId, exportId, version } = event.detail ?? {};
  if (!tenantId || !exportId || typeof version !== 'number') return { status: null };
  const job = await runExportBatch(tenantId, exportId, version);
  return { status: job?.status ?? null };
}

export const handler = backgroundHandler('tenants/run-export', handle);
