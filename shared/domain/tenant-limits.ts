/**
 * What each tenant tier (the commercial tier on the tenant record, not a
 * support tier) may use: a request rate with a burst, and quotas on stored
 * volume. One table, read by the API Gateway usage plans (CDK), the local
 * HTTP server's token buckets and the quota counters, so the three can
 * never disagree.
 *
 * Rules:
 *
 * - Rate: a token bucket per tenant, refilled at `ratePerSecond`, holding
 *   `burst` tokens; a request takes one token or is answered 429 with
 *   `Retry-After` (the seconds until a token is back).
 * - Quotas count records that exist (a retired or deleted one gives its
 *   unit back); the create that would pass the limit is refused with 422 and
 *   the quota named, nothing written. A tenant may carry overrides (a deal
 *   above its tier); an override replaces the tier's figure.
 * @module
 */
import { createHash } from 'node:crypto';
import { UnprocessableError } from './errors.js';

export const TENANT_TIERS = ['trial', 'standard', 'premium'] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];

/** Stored volumes with a quota. Articles and attachments are counted once their practices exist. */
export const QUOTA_NAMES = ['cis', 'webhooks', 'groups', 'articles', 'attachments'] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

export interface TenantLimits {
  /** Steady requests per second, per tenant, over the whole API. */
  readonly ratePerSecond: number;
  /** Requests a tenant may send at once above the steady rate. */
  readonly burst: number;
  readonly quotas: Readonly<Record<QuotaName, number>>;
}

/** The figures per tier (documented in docs/throttling.md; the usage plans are made from them). */
export const TENANT_TIER_LIMITS: Readonly<Record<TenantTier, TenantLimits>> = {
  trial: { ratePerSecond: 5, burst: 10, quotas: { cis: 500, webhooks: 3, groups: 20, articles: 200, attachments: 500 } },
  standard: { ratePerSecond: 50, burst: 100, quotas: { cis: 20_000, webhooks: 25, groups: 200, articles: 5_000, attachments: 50_000 } },
  premium: { ratePerSecond: 200, burst: 400, quotas: { cis: 200_000, webhooks: 100, groups: 1_000, articles: 50_000, attachments: 500_000 } },
};

/** A tier new and unknown tenants get. */
export const DEFAULT_TENANT_TIER: TenantTier = 'standard';

export function isTenantTier(value: unknown): value is TenantTier {
  return typeof value === 'string' && (TENANT_TIERS as readonly string[]).includes(value);
}

/** The quota `name` of a tenant of `tier`, with its overrides. */
export function quotaOf(tier: TenantTier, name: QuotaName, overrides: Partial<Record<QuotaName, number>> = {}): number {
  const override = overrides[name];
  return typeof override === 'number' && Number.isInteger(override) && override >= 0 ? override : TENANT_TIER_LIMITS[tier].quotas[name];
}

/** A create refused because the tenant holds `limit` of `quota` already: 422, the quota named. */
export class QuotaExceededError extends UnprocessableError {
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
  ) {
    super(`The tenant's quota of ${limit} ${quota} is used up; retire or delete some, or ask for a higher tier.`, {
      quota,
      limit,
      errors: [{ field: 'quota', message: `${quota}: at most ${limit}` }],
    });
  }
}

/**
 * A token bucket (pure: the caller keeps the state and the clock). The
 * bucket starts full; `take` answers whether a request may pass now and,
 * if not, in how many seconds a token is back.
 */
export interface TokenBucket {
  tokens: number;
  updatedAtMs: number;
}

export function takeToken(
  bucket: TokenBucket,
  limits: Pick<TenantLimits, 'ratePerSecond' | 'burst'>,
  nowMs: number,
): { allowed: boolean; retryAfterSeconds: number } {
  const elapsed = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
  bucket.tokens = Math.min(limits.burst, bucket.tokens + elapsed * limits.ratePerSecond);
  bucket.updatedAtMs = Math.max(bucket.updatedAtMs, nowMs);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limits.ratePerSecond)) };
}

/**
 * The API Gateway API key value that identifies `tenantId` to its tier's
 * usage plan. The authorizer returns it as `usageIdentifierKey` (API key
 * source AUTHORIZER), so clients never see or send it and it need not be
 * secret: it only names the tenant's bucket. Derived, so the authorizer
 * needs no read; onboarding creates the key with this value and adds it to
 * the plan of the tenant's tier (docs/throttling.md). 20–128 characters, as
 * API Gateway requires, whatever the tenant id's length.
 */
export function usageKeyOf(tenantId: string): string {
  return `itsm-tenant-${createHash('sha256').update(tenantId).digest('hex').slice(0, 40)}`;
}
