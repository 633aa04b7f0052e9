/**
 * The local usage-key adapter: the local server's throttle plays API
 * Gateway's usage plans, so assigning a tenant's key to a tier's plan is
 * metering the tenant at that tier from the next request on, and revoking
 * it is forgetting the tenant's bucket.
 * @module
 */
import type { UsageKeys } from '#shared/services/tenants/usage-keys.js';
import type { TenantThrottle } from './tenant-throttle.js';

export function localUsageKeys(throttle: Pick<TenantThrottle, 'meter' | 'forget'>): UsageKeys {
  return {
    async assign(tenantId, tier) {
      throttle.meter(tenantId, tier);
    },
    async revoke(tenantId) {
      throttle.forget(tenantId);
    },
  };
}
