/**
 * The local stand-in for API Gateway's usage plans: a token bucket per
 * tenant, refilled at its tier's rate and holding its tier's burst (the
 * same `TENANT_TIER_LIMITS` the CDK stack makes the plans from). Thin: the
 * bucket rule is `takeToken` in the domain.
 *
 * A bucket remembers its tenant's tier for `tierTtlMs`, so a request of a
 * known tenant is admitted or refused synchronously, with no read: a
 * flooding tenant's refused requests cost a map lookup. The local usage-key
 * adapter (`local-usage-keys.ts`) tells it a tier as the operator assigns
 * one, as API Gateway learns it from the key's plan.
 * @module
 */
import { TENANT_TIER_LIMITS, type TenantTier, type TokenBucket, takeToken } from '#shared/domain/tenant-limits.js';

/** Whether a tenant's request may pass now, and if not, when to try again. */
export interface ThrottleVerdict {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
}

export interface TenantThrottle {
  /** The verdict on one request of `tenantId`: synchronous once its tier is known, a promise the first time. */
  admit(tenantId: string): ThrottleVerdict | Promise<ThrottleVerdict>;
  /** Meters `tenantId` at `tier` from now on (its key moved to that plan); the bucket keeps its tokens up to the new burst. */
  meter(tenantId: string, tier: TenantTier): void;
  /** Forgets the tenant (its key revoked): a later request starts from its stored tier, bucket full. */
  forget(tenantId: string): void;
}

interface MeteredBucket extends TokenBucket {
  tier: TenantTier;
  /** Until when `tier` is trusted without asking `tierOf` again. */
  tierUntilMs: number;
}

/** Buckets kept at most: a stack serving more tenants forgets the least recently seen first (it starts full again). */
const MAX_BUCKETS = 10_000;

/**
 * A throttle over `tierOf` (the tenant's commercial tier, `tenantTierOf`);
 * `nowMs` is the wall clock (not the business clock tests move); a tier is
 * re-read after `tierTtlMs` (a plan changed by another process).
 */
export function createTenantThrottle(
  tierOf: (tenantId: string) => Promise<TenantTier>,
  nowMs: () => number = () => performance.now(),
  tierTtlMs = 30_000,
): TenantThrottle {
  const buckets = new Map<string, MeteredBucket>();

  function remember(tenantId: string, bucket: MeteredBucket): void {
    // Re-inserted: the map's order is least recently seen first.
    buckets.delete(tenantId);
    buckets.set(tenantId, bucket);
    if (buckets.size > MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
  }

  function meter(tenantId: string, tier: TenantTier): MeteredBucket {
    const at = nowMs();
    const burst = TENANT_TIER_LIMITS[tier].burst;
    const current = buckets.get(tenantId);
    const bucket: MeteredBucket = current
      ? Object.assign(current, { tier, tierUntilMs: at + tierTtlMs, tokens: Math.min(current.tokens, burst) })
      : { tokens: burst, updatedAtMs: at, tier, tierUntilMs: at + tierTtlMs };
    remember(tenantId, bucket);
    return bucket;
  }

  const take = (tenantId: string, bucket: MeteredBucket): ThrottleVerdict => {
    remember(tenantId, bucket);
    return takeToken(bucket, TENANT_TIER_LIMITS[bucket.tier], nowMs());
  };

  return {
    admit(tenantId) {
      const bucket = buckets.get(tenantId);
      if (bucket && bucket.tierUntilMs > nowMs()) return take(tenantId, bucket);
      return tierOf(tenantId).then((tier) => take(tenantId, meter(tenantId, tier)));
    },
    meter(tenantId, tier) {
      meter(tenantId, tier);
    },
    forget(tenantId) {
      buckets.delete(tenantId);
    },
  };
}
