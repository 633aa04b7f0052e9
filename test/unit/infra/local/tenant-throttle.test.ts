/**
 * The local usage-plan stand-in: one bucket per tenant at its tier's
 * figures, so one tenant's flood never takes another's tokens; a known
 * tenant is judged without a read; the local usage-key adapter moves a
 * tenant between tiers and forgets a revoked one.
 */
import { describe, expect, it } from 'vitest';
import { TENANT_TIER_LIMITS, type TenantTier } from '#shared/domain/tenant-limits.js';
import { localUsageKeys } from '../../../../infra/local/local-usage-keys.js';
import { createTenantThrottle } from '../../../../infra/local/tenant-throttle.js';

function throttleOver(tiers: Record<string, TenantTier>) {
  const clock = { now: 0 };
  const reads: string[] = [];
  const throttle = createTenantThrottle(
    async (tenantId) => {
      reads.push(tenantId);
      return tiers[tenantId] ?? 'standard';
    },
    () => clock.now,
    30_000,
  );
  return { throttle, clock, reads };
}

describe('local tenant throttle', () => {
  it("keeps each tenant's bucket apart, at its own tier's figures", async () => {
    const { throttle, clock } = throttleOver({ flood: 'trial' });
    const trial = TENANT_TIER_LIMITS.trial;
    const flood = await Promise.all(Array.from({ length: trial.burst * 3 }, () => throttle.admit('flood')));
    expect(flood.filter((verdict) => verdict.allowed)).toHaveLength(trial.burst);
    expect(flood.at(-1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const calm = await Promise.all(Array.from({ length: TENANT_TIER_LIMITS.standard.burst }, () => throttle.admit('calm')));
    expect(calm.every((verdict) => verdict.allowed)).toBe(true);
    clock.now += 1000;
    const refilled = await Promise.all(Array.from({ length: trial.ratePerSecond + 1 }, () => throttle.admit('flood')));
    expect(refilled.filter((verdict) => verdict.allowed)).toHaveLength(trial.ratePerSecond);
  });

  it('judges a known tenant synchronously, with no read, until its tier is due to be read again', async () => {
    const { throttle, clock, reads } = throttleOver({ flood: 'trial' });
    await throttle.admit('flood');
    expect(reads).toEqual(['flood']);
    const verdicts = Array.from({ length: 50 }, () => throttle.admit('flood'));
    expect(verdicts.some((verdict) => verdict instanceof Promise)).toBe(false);
    expect(reads).toEqual(['flood']);
    clock.now += 30_001;
    expect(throttle.admit('flood')).toBeInstanceOf(Promise);
    expect(reads).toEqual(['flood', 'flood']);
  });

  it('meters a tenant at the tier its key was assigned to, keeping its tokens up to the new burst; a revoked one starts over', async () => {
    const { throttle, reads } = throttleOver({ initech: 'premium' });
    const keys = localUsageKeys(throttle);
    await keys.assign('initech', 'trial');
    const trial = Array.from({ length: TENANT_TIER_LIMITS.trial.burst + 5 }, () => throttle.admit('initech'));
    expect(trial.filter((verdict) => !(verdict instanceof Promise) && verdict.allowed)).toHaveLength(TENANT_TIER_LIMITS.trial.burst);
    expect(reads).toEqual([]);
    // Upgraded: the bucket keeps what it had (empty), and refills at the premium rate from now on.
    await keys.assign('initech', 'premium');
    expect(throttle.admit('initech')).toMatchObject({ allowed: false });
    await keys.revoke('initech');
    const again = await Promise.all(Array.from({ length: TENANT_TIER_LIMITS.premium.burst }, () => throttle.admit('initech')));
    expect(again.every((verdict) => verdict.allowed)).toBe(true);
    expect(reads).toContain('initech');
  });
});
