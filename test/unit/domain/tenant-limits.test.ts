/**
 * Tenant tiers: the token bucket (never more than burst + rate × time
 * passes, whatever the arrival pattern; a refused request is told a wait
 * after which it passes), quota overrides and the quota problem.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuotaExceededError, quotaOf, TENANT_TIER_LIMITS, TENANT_TIERS, takeToken } from '#shared/domain/tenant-limits.js';
import { PROBLEM_KINDS } from '#shared/http/problem.js';

describe('token bucket', () => {
  const limits = { ratePerSecond: 5, burst: 10 };

  it('passes the burst at once, then the rate, and names the wait', () => {
    const bucket = { tokens: limits.burst, updatedAtMs: 0 };
    const outcomes = Array.from({ length: 12 }, () => takeToken(bucket, limits, 0));
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(10);
    expect(outcomes[11]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(takeToken(bucket, limits, 199).allowed).toBe(false);
    expect(takeToken(bucket, limits, 200).allowed).toBe(true);
  });

  it('never admits more than burst + rate × elapsed, and a refused request passes after its wait', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TENANT_TIERS), fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 300 }), (tier, gaps) => {
        const tierLimits = TENANT_TIER_LIMITS[tier];
        const bucket = { tokens: tierLimits.burst, updatedAtMs: 0 };
        let at = 0;
        let admitted = 0;
        for (const gap of gaps) {
          at += gap;
          const outcome = takeToken(bucket, tierLimits, at);
          if (outcome.allowed) admitted += 1;
          else {
            expect(outcome.retryAfterSeconds).toBeGreaterThanOrEqual(1);
            const probe = { ...bucket };
            expect(takeToken(probe, tierLimits, at + outcome.retryAfterSeconds * 1000).allowed).toBe(true);
          }
        }
        expect(admitted).toBeLessThanOrEqual(tierLimits.burst + Math.floor((tierLimits.ratePerSecond * at) / 1000) + 1);
      }),
    );
  });

  it('tiers are ordered: a higher tier never allows less', () => {
    for (let index = 1; index < TENANT_TIERS.length; index++) {
      const [lower, higher] = [TENANT_TIER_LIMITS[TENANT_TIERS[index - 1] as 'trial'], TENANT_TIER_LIMITS[TENANT_TIERS[index] as 'trial']];
      expect(higher.ratePerSecond).toBeGreaterThan(lower.ratePerSecond);
      expect(higher.burst).toBeGreaterThanOrEqual(higher.ratePerSecond);
      for (const [name, limit] of Object.entries(higher.quotas)) expect(limit).toBeGreaterThanOrEqual(lower.quotas[name as 'cis']);
    }
  });
});

describe('quotas', () => {
  it.each([
    { overrides: {}, expected: TENANT_TIER_LIMITS.standard.quotas.webhooks },
    { overrides: { webhooks: 2 }, expected: 2 },
    { overrides: { webhooks: 0 }, expected: 0 },
    { overrides: { webhooks: -1 }, expected: TENANT_TIER_LIMITS.standard.quotas.webhooks },
    { overrides: { webhooks: 1.5 }, expected: TENANT_TIER_LIMITS.standard.quotas.webhooks },
  ])('override $overrides → $expected', ({ overrides, expected }) => {
    expect(quotaOf('standard', 'webhooks', overrides)).toBe(expected);
  });

  it('is a 422 problem that names the quota and its limit', () => {
    const error = new QuotaExceededError('cis', 500);
    expect(PROBLEM_KINDS[error.kind].status).toBe(422);
    expect(error.extensions).toMatchObject({ quota: 'cis', limit: 500 });
  });
});
