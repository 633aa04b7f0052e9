/**
 * The local usage-plan stand-in: one bucket per tenant at its tier's
 * figures, so one tenant's flood never takes another's tokens.
 */
import { describe, expect, it } from 'vitest';
import { TENANT_TIER_LIMITS } from '#shared/domain/tenant-limits.js';
import { createTenantThrottle } from '../../../../infra/local/tenant-throttle.js';

describe('local tenant throttle', () => {
  it("keeps each tenant's bucket apart, at its own tier's figures", async () => {
    let now = 0;
    const throttle = createTenantThrottle(
      async (tenantId) => (tenantId === 'flood' ? 'trial' : 'standard'),
      () => now,
    );
    const trial = TENANT_TIER_LIMITS.trial;
    const flood = await Promise.all(Array.from({ length: trial.burst * 3 }, () => throttle('flood')));
    expect(flood.filter((verdict) => verdict.allowed)).toHaveLength(trial.burst);
    expect(flood.at(-1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const calm = await Promise.all(Array.from({ length: TENANT_TIER_LIMITS.standard.burst }, () => throttle('calm')));
    expect(calm.every((verdict) => verdict.allowed)).toBe(true);
    now += 1000;
    const refilled = await Promise.all(Array.from({ length: trial.ratePerSecond + 1 }, () => throttle('flood')));
    expect(refilled.filter((verdict) => verdict.allowed)).toHaveLength(trial.ratePerSecond);
  });
});
