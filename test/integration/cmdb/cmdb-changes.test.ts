/**
 * The CMDB and change management together: a change scheduled on a CI
 * shows on the CI (`GET /cis/{id}`) and on the impact of a CI it depends on.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, newTenant, pollUntil, stackNow } from '../api-client.js';

const HOUR = 3_600_000;
const LOW_RISK = { 'users-affected': 'team', complexity: 'moderate', tested: 'yes', backout: 'proven', outage: 'window' };

describe('scheduled changes on CIs', () => {
  const acme = actorsOf(newTenant('cmdb-chg'));

  it('a change scheduled on the database shows on the CI and on the upstream impact of its host', async () => {
    const create = async (body: Record<string, unknown>) => (await acme.agent.call<{ id: string }>('POST', '/cis', { body })).body.id;
    const db = await create({ class: 'database', name: 'orders-db', environment: 'production' });
    const host = await create({ class: 'server', name: 'db-host-1' });
    expect((await acme.agent.call('POST', `/cis/${db}/relationships`, { body: { type: 'runs_on', targetId: host } })).status).toBe(201);

    const policy = {
      levels: [{ name: 'CAB', approvers: { roles: ['manager'] }, rule: { kind: 'count', required: 1 } }],
      timeoutHours: 48,
      onTimeout: 'expire',
    };
    const saved = await acme.admin.call('PUT', '/settings/change-approval', {
      body: {
        settings: {
          normal: policy,
          emergency: policy,
          freezeOverride: { name: 'Freeze override', approvers: { roles: ['tenant-admin'] }, rule: { kind: 'count', required: 1 } },
        },
      },
    });
    expect(saved.status).toBe(200);
    // A day ahead of the business clock, which another test may have moved: the change stays scheduled.
    const start = (await stackNow()).getTime() + 24 * HOUR;
    const created = await acme.agent.call<{ id: string; number: string }>('POST', '/changes', {
      body: {
        type: 'normal',
        title: 'Patch orders-db',
        description: 'Minor version.',
        justification: 'Security fix.',
        category: 'database',
        implementationPlan: 'Rolling restart.',
        testPlan: 'Smoke tests.',
        backoutPlan: 'Restart the previous binaries.',
        ciIds: [db],
        serviceIds: [],
        plannedStart: new Date(start).toISOString(),
        plannedEnd: new Date(start + HOUR).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const submitted = await acme.agent.call('POST', `/changes/${id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(
      (
        await acme.agent.call('POST', `/changes/${id}/assess`, {
          body: { impact: 'Orders paused', resources: 'One DBA', riskAnswers: LOW_RISK, continuityImpact: false },
        })
      ).status,
    ).toBe(200);
    await pollUntil(
      () => acme.agent.call<{ awaiting: { kind: string } | null }>('GET', `/changes/${id}`),
      (response) => response.body.awaiting?.kind === 'approval',
    );
    expect((await acme.manager.call('POST', `/changes/${id}/approvals`, { body: { decision: 'approve' } })).status).toBe(200);
    const scheduled = await pollUntil(
      () => acme.agent.call<{ status: string }>('GET', `/changes/${id}`),
      (response) => response.body.status === 'scheduled',
    );
    expect(scheduled.body.status).toBe('scheduled');

    const ci = await acme.agent.call<{ scheduledChanges: { changeId: string; number: string; status: string; ciIds: string[] }[] }>('GET', `/cis/${db}`);
    expect(ci.body.scheduledChanges).toEqual([expect.objectContaining({ changeId: id, number: created.body.number, status: 'scheduled', ciIds: [db] })]);
    const impact = await acme.agent.call<{ scheduledChanges: { changeId: string }[] }>('GET', `/cis/${host}/impact?direction=upstream&depth=2`);
    expect(impact.body.scheduledChanges.map((change) => change.changeId)).toEqual([id]);
    const bare = await acme.agent.call<{ scheduledChanges: unknown[] }>('GET', `/cis/${host}`);
    expect(bare.body.scheduledChanges).toEqual([]);
  });
});
