/**
 * Target of the bus rule `TenantUsageKeys`: brings the tenant's API
 * Gateway key in line with its record (created and in its tier's usage
 * plan, or removed once its deletion started). Throws on an outage, so
 * EventBridge retries; every step converges, so a retry is harmless.
 * @module
 */
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { syncUsageKey } from '#shared/services/tenants/usage-keys.js';

interface TenantEvent {
  readonly detail: { readonly tenantId?: string };
}

async function handle(event: TenantEvent): Promise<{ outcome: string | null }> {
  const tenantId = event.detail?.tenantId;
  if (!tenantId) return { outcome: null };
  return { outcome: await syncUsageKey(tenantId) };
}

export const handler = backgroundHandler('tenants/sync-usage-key', handle);
