/**
 * Per-tenant rate limits and quotas over HTTP on the local stack: a tenant
 * flooding the API at ten times its tier's rate gets 429 problem+json with
 * `Retry-After` while another tenant's requests keep succeeding; a create
 * past a stored-volume quota is refused with 422 naming the quota, nothing
 * written, and a retired record gives its unit back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { actorsOf, newTenant, resolveInTests, useLocalTable } from '../api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable();
const { putTenantPlan, quotaUsage } = await import('#shared/data/tenant-limits.js');
const { TENANT_TIER_LIMITS } = await import('#shared/domain/tenant-limits.js');

type Problem = { type: string; status: number; title: string; quota?: string; limit?: number; errors?: { field: string }[] };

describe('per-tenant throttling', () => {
  it('a tenant flooding at 10× its rate gets 429 + Retry-After; another tenant keeps being served', { timeout: 60_000 }, async () => {
    const flooder = actorsOf(newTenant('flood'));
    const neighbour = actorsOf(newTenant('calm'));
    // A trial tenant: 5 requests/s, burst 10; the neighbour is on the stack's default (premium here).
    await putTenantPlan(flooder.tenantId, { tier: 'trial', quotaOverrides: {} });
    const { ratePerSecond, burst } = TENANT_TIER_LIMITS.trial;
    const seconds = 3;
    const floodRate = 10 * ratePerSecond;
    const started = performance.now();
    const flood: Promise<{ status: number; retryAfter: string | null; type: string | null }>[] = [];
    const calm: Promise<number>[] = [];
    for (let tick = 0; tick < floodRate * seconds; tick++) {
      flood.push(
        flooder.agent.call<Problem>('GET', '/incidents?limit=1').then((response) => ({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          type: response.status === 429 ? `${response.headers.get('content-type')} ${response.body.type}` : null,
        })),
      );
      if (tick % 5 === 0) calm.push(neighbour.agent.call('GET', '/incidents?limit=1').then((response) => response.status));
      await sleep(1000 / floodRate);
    }
    const [flooded, served] = await Promise.all([Promise.all(flood), Promise.all(calm)]);
    const elapsed = (performance.now() - started) / 1000;
    const admitted = flooded.filter((outcome) => outcome.status === 200).length;
    const throttled = flooded.filter((outcome) => outcome.status === 429);
    expect(admitted + throttled.length).toBe(flooded.length);
    // The bucket lets through its burst and then its rate, no more (one token of slack for timing).
    expect(admitted).toBeGreaterThanOrEqual(burst);
    expect(admitted).toBeLessThanOrEqual(burst + Math.ceil(ratePerSecond * elapsed) + 1);
    expect(throttled.length).toBeGreaterThan(flooded.length / 2);
    for (const outcome of throttled) {
      expect(Number(outcome.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(outcome.type).toBe('application/problem+json urn:itsm:problem:too-many-requests');
    }
    expect(served.every((status) => status === 200)).toBe(true);
    // Its bucket refills: after the wait it named, the flooder is served again.
    await sleep(1000 * Number(throttled[0]?.retryAfter ?? 1));
    expect((await flooder.agent.call('GET', '/incidents?limit=1')).status).toBe(200);
  });
});

describe('per-tenant quotas', () => {
  it('refuses the webhook past the quota with 422 naming it, writes nothing, and counts a deletion back', async () => {
    const tenant = actorsOf(newTenant('quota'));
    await putTenantPlan(tenant.tenantId, { tier: 'standard', quotaOverrides: { webhooks: 2 } });
    resolveInTests('quota-hooks.example.com', ['93.184.216.34']);
    const hook = (name: string) => ({ name, url: 'https://quota-hooks.example.com/itsm', pattern: { source: ['itsm.incidents'] } });
    const first = await tenant.admin.call<{ id: string }>('POST', '/webhooks', { body: hook('one') });
    expect(first.status).toBe(201);
    expect((await tenant.admin.call('POST', '/webhooks', { body: hook('two') })).status).toBe(201);
    const over = await tenant.admin.call<Problem>('POST', '/webhooks', { body: hook('three') });
    expect(over.status).toBe(422);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(over.body).toMatchObject({ quota: 'webhooks', limit: 2 });
    expect((await tenant.admin.call<{ items: unknown[] }>('GET', '/webhooks')).body.items).toHaveLength(2);
    expect(await quotaUsage(tenant.tenantId, 'webhooks')).toBe(2);
    expect((await tenant.admin.call('DELETE', `/webhooks/${first.body.id}`)).status).toBe(204);
    expect(await quotaUsage(tenant.tenantId, 'webhooks')).toBe(1);
    expect((await tenant.admin.call('POST', '/webhooks', { body: hook('three') })).status).toBe(201);
  });

  it('counts CIs without a Scan: the create past the quota is refused, a retired CI frees its unit', async () => {
    const tenant = actorsOf(newTenant('quota-ci'));
    await putTenantPlan(tenant.tenantId, { tier: 'standard', quotaOverrides: { cis: 2 } });
    const server = (name: string) => tenant.agent.call<{ id: string; version: number }>('POST', '/cis', { body: { class: 'server', name } });
    const first = await server('db-1');
    expect(first.status).toBe(201);
    expect((await server('db-2')).status).toBe(201);
    const over = await server('db-3');
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ quota: 'cis', limit: 2 });
    expect((await tenant.agent.call<{ items: unknown[] }>('GET', '/cis')).body.items).toHaveLength(2);
    const retired = await tenant.manager.call('POST', `/cis/${first.body.id}/retire`);
    expect(retired.status, JSON.stringify(retired.body)).toBe(200);
    expect(await quotaUsage(tenant.tenantId, 'cis')).toBe(1);
    expect((await server('db-3')).status).toBe(201);
  });

  it('checks a bulk import against the CI quota before writing, and counts what it created', async () => {
    const tenant = actorsOf(newTenant('quota-import'));
    await putTenantPlan(tenant.tenantId, { tier: 'standard', quotaOverrides: { cis: 3 } });
    const server = (n: number) => JSON.stringify({ kind: 'ci', externalId: `q:srv-${n}`, class: 'server', name: `srv-${n}` });
    const importLines = (lines: string[]) =>
      tenant.manager.call<Problem & { counts?: { created: number } }>('POST', '/cis/import', {
        rawBody: `${lines.join('\n')}\n`,
        headers: { 'content-type': 'application/x-ndjson' },
      });
    const tooMany = await importLines([server(1), server(2), server(3), server(4)]);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ quota: 'cis', limit: 3 });
    expect((await tenant.agent.call<{ items: unknown[] }>('GET', '/cis')).body.items).toHaveLength(0);
    const fits = await importLines([server(1), server(2)]);
    expect(fits.status).toBe(200);
    expect(fits.body.counts?.created).toBe(2);
    expect(await quotaUsage(tenant.tenantId, 'cis')).toBe(2);
    // Unchanged lines take no unit; one new CI fits, two do not.
    expect((await importLines([server(1), server(2), server(3), server(4)])).status).toBe(422);
    expect((await importLines([server(1), server(3)])).status).toBe(200);
    expect(await quotaUsage(tenant.tenantId, 'cis')).toBe(3);
  });
});
