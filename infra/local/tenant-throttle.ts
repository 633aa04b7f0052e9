/**
 * The local stand-in for API Gateway's usage plans: a token bucket per
 * tenant, refilled at its tier's rate and holding its tier's burst (the
 * same `TENANT_TIER_LIMITS` the CDK stack makes the plans from), checked
 * after the authorizer as API Gateway meters after it. Thin: the bucket
 * rule is `takeToken` in the domain.
 * @module
 */
import { TENANT_TIER_LIMITS, type TenantTier, type TokenBucket, takeToken } from '#shared/domain/tenant-limits.js';

/** Whether a tenant's request may pass now, and if not, when to try again. */
export interface ThrottleVerdict {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
}

/** Buckets kept at most: a stack serving more tenants forgets the least recently seen first (it starts full again). */
const MAX_BUCKETS = 10_000;

/** A throttle over `tierOf` (the tenant's commercial tier, `tenantTierOf`); `nowMs` is the wall clock (not the business clock tests move). */
export function createTenantThrottle(tierOf: (tenantId: string) => Promise<TenantTier>, nowMs: () => number = () => performance.now()) {
  const buckets = new Map<string, TokenBucket>();
  return async (tenantId: string): Promise<ThrottleVerdict> => {
    const limits = TENANT_TIER_LIMITS[await tierOf(tenantId)];
    const at = nowMs();
    let bucket = buckets.get(tenantId);
    if (bucket) buckets.delete(tenantId);
    else bucket = { tokens: limits.burst, updatedAtMs: at };
    // Re-inserted: the map's order is least recently seen first.
    buckets.set(tenantId, bucket);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
    return takeToken(bucket, limits, at);
  };
}
