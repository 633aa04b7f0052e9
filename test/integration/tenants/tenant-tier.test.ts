/**
 * A tenant's tier over HTTP on the local stack: onboarded on the trial
 * tier, its flood is answered 429 problem+json with Retry-After past its
 * burst; the operator moves it to premium (If-Match, audited,
 * `TenantTierChanged`), the key follows the record (the local throttle is
 * the usage plans) and the same flood passes; only the operator may, and
 * bad input is refused with nothing written.
 */
import { describe, expect, inject, it } from 'vitest';
import { TENANT_TIER_LIMITS } from '#shared/domain/tenant-limits.js';
import { eventually, newTenant, operator, pollUntil, request, tokenFor } from '../api-client.js';

type Json = Record<string, unknown>;

/** `count` reads at once as the tenant's agent: the statuses, and the first 429 seen. */
async function flood(tenantId: string, count: number) {
  const token = tokenFor(tenantId, `${tenantId}-agent`, ['agent']);
  const responses = await Promise.all(
    Array.from({ length: count }, () => fetch(`${inject('apiUrl')}/incidents?limit=1`, { headers: { authorization: `Bearer ${token}` } })),
  );
  const refused = responses.find((response) => response.status === 429);
  const problem = refused ? ((await refused.json()) as Json) : null;
  await Promise.all(responses.filter((response) => response !== refused).map((response) => response.arrayBuffer()));
  return { statuses: responses.map((response) => response.status), refused, problem };
}

describe('tenant tiers', () => {
  it('throttles a trial tenant past its burst, and lets the same flood through once the operator moved it to premium', async () => {
    const op = operator();
    const tenantId = newTenant('tiered');
    const created = await op.call<Json>('POST', '/tenants', {
      body: { id: tenantId, name: 'Tiered', tier: 'trial', admin: { name: 'Ada', email: `ada@${tenantId}.example` } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.allowedActions).toEqual(['suspend', 'change-tier']);

    const admin = tokenFor(tenantId, `${tenantId}-admin`, ['tenant-admin']);
    expect((await request('PUT', `/tenants/${tenantId}/tier`, { token: admin, body: { tier: 'premium' } })).status).toBe(404);
    const trial = TENANT_TIER_LIMITS.trial;
    const throttled = await flood(tenantId, trial.burst * 3);
    expect(throttled.statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(trial.burst + trial.ratePerSecond);
    expect(throttled.refused?.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(throttled.refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(throttled.problem).toMatchObject({ status: 429, type: 'urn:itsm:problem:too-many-requests' });

    // Only the operator moves tiers (the tenant register is invisible to tenants); bad input and a stale version change nothing.
    expect((await op.call('PUT', `/tenants/${tenantId}/tier`, { body: { tier: 'gold' } })).status).toBe(400);
    expect((await op.call('PUT', `/tenants/${newTenant('nobody')}/tier`, { body: { tier: 'premium' } })).status).toBe(404);
    expect((await op.call('PUT', `/tenants/${tenantId}/tier`, { body: { tier: 'premium' }, headers: { 'if-match': '"7"' } })).status).toBe(412);

    const moved = await op.call<Json>('PUT', `/tenants/${tenantId}/tier`, { body: { tier: 'premium' }, headers: { 'if-match': '"1"' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ tier: 'premium', version: 2 });
    expect(moved.headers.get('etag')).toBe('"2"');
    const again = await op.call<Json>('PUT', `/tenants/${tenantId}/tier`, { body: { tier: 'premium' } });
    expect(again.body).toMatchObject({ tier: 'premium', version: 2 });
    const events = await eventually(tenantId, (all) => all.some((event) => event['detail-type'] === 'TenantTierChanged'));
    const changed = events.filter((event) => event['detail-type'] === 'TenantTierChanged');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.detail).toMatchObject({ tier: 'premium', changes: [{ field: 'tier', from: 'trial', to: 'premium' }] });

    // The key follows the record: the same flood passes at the premium burst.
    const passed = await pollUntil(
      () => flood(tenantId, trial.burst * 3),
      (outcome) => outcome.statuses.every((status) => status === 200),
      15_000,
    );
    expect(passed.statuses).toHaveLength(trial.burst * 3);
    const { tenantTierOf } = await import('#shared/data/tenant-limits.js');
    expect(await tenantTierOf(tenantId)).toBe('premium');
  });
});
