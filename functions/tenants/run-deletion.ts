/**
 * Target of the bus rule `TenantDeletionWorker`: one bounded batch of a
 * tenant's deletion per event (`TenantDeletionStarted`, then each
 * `TenantDeletionProgressed`). Throws on an outage, so EventBridge retries.
 * @module
 */
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { runDeletionBatch } from '#shared/services/tenants/tenant-deletion.js';

interface DeletionEvent {
  readonly detail: { readonly tenantId?: string; readonly version?: number };
}

async function handle(event: DeletionEvent): Promise<{ status: string | null }> {
  const { tenantId, version } = event.detail ?? {};
  if (!tenantId || typeof version !== 'number') return { status: null };
  const tenant = await runDeletionBatch(tenantId, version);
  return { status: tenant?.status ?? null };
}

export const handler = backgroundHandler('tenants/run-deletion', handle);
