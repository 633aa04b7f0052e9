/**
 * Assignment groups over HTTP on the local stack: groups in three tiers,
 * tenant-editable tiers, who may change a group, retirement, dispatch only
 * to an active group of the tenant (422 naming the field, nothing written),
 * and the groups quota.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, type BusEvent, createGroups, eventually, newTenant, sampleIncident } from '../api-client.js';

type Json = Record<string, unknown>;
type Problem = { type: string; status: number; detail: string; errors?: { field: string; message: string }[]; quota?: string; limit?: number };

async function tiered(tenant: ReturnType<typeof actorsOf>) {
  await createGroups(tenant, [
    { code: 'hq', tier: 'headquarters' },
    { code: 'region-east', tier: 'regional', escalatesTo: 'hq' },
    { code: 'desk', tier: 'front-line', escalatesTo: 'region-east', managerId: tenant.manager.userId },
  ]);
}

describe('assignment groups', () => {
  it('forms groups in the three seed tiers, lists them by tier, and emits GroupCreated', async () => {
    const tenant = actorsOf(newTenant('groups'));
    const tiers = await tenant.agent.call<{ tiers: { id: string }[]; version: number }>('GET', '/settings/group-tiers');
    expect(tiers.body.tiers.map((tier) => tier.id)).toEqual(['front-line', 'regional', 'headquarters']);
    expect(tiers.body.version).toBe(0);
    await tiered(tenant);
    const desk = await tenant.agent.call<Json>('GET', '/groups/desk');
    expect(desk.status).toBe(200);
    expect(desk.headers.get('etag')).toBe('"1"');
    expect(desk.body).toMatchObject({ code: 'desk', tier: 'front-line', escalatesTo: 'region-east', managerId: tenant.manager.userId, status: 'active' });
    const regional = await tenant.agent.call<{ items: { code: string }[] }>('GET', '/groups?tier=regional');
    expect(regional.body.items.map((group) => group.code)).toEqual(['region-east']);
    const all = await tenant.agent.call<{ items: { code: string }[] }>('GET', '/groups');
    expect(all.body.items.map((group) => group.code)).toEqual(['desk', 'hq', 'region-east']);
    const created = (events: BusEvent[]) => events.filter((event) => event['detail-type'] === 'GroupCreated');
    const events = await eventually(tenant.tenantId, (all) => created(all).length >= 3, 30_000);
    expect(
      created(events)
        .map((event) => event.detail.code)
        .sort(),
    ).toEqual(['desk', 'hq', 'region-east']);
  });

  it('refuses a tier that is not the tenant’s, an escalation target that is not higher, and a taken code', async () => {
    const tenant = actorsOf(newTenant('groups'));
    await tiered(tenant);
    const unknownTier = await tenant.admin.call<Problem>('POST', '/groups', { body: { code: 'x', name: 'X', tier: 'galaxy' } });
    expect(unknownTier.status).toBe(422);
    expect(unknownTier.body.errors?.[0]?.field).toBe('body.tier');
    const downwards = await tenant.admin.call<Problem>('POST', '/groups', { body: { code: 'y', name: 'Y', tier: 'regional', escalatesTo: 'desk' } });
    expect(downwards.status).toBe(422);
    expect(downwards.body.errors?.[0]?.field).toBe('body.escalatesTo');
    const taken = await tenant.admin.call<Problem>('POST', '/groups', { body: { code: 'desk', name: 'Desk again', tier: 'front-line' } });
    expect(taken.status).toBe(409);
    expect((await tenant.agent.call<{ items: unknown[] }>('GET', '/groups')).body.items).toHaveLength(3);
  });

  it('lets tenant admins and the group’s own manager change it (If-Match), not another manager or an agent', async () => {
    const tenant = actorsOf(newTenant('groups'));
    await tiered(tenant);
    const byManager = await tenant.manager.call<Json>('PATCH', '/groups/desk', { body: { members: ['u1', 'u2'] }, headers: { 'if-match': '"1"' } });
    expect(byManager.status).toBe(200);
    expect(byManager.body).toMatchObject({ members: ['u1', 'u2'], version: 2 });
    const stale = await tenant.admin.call<Problem>('PATCH', '/groups/desk', { body: { name: 'Desk' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const notTheirs = await tenant.manager.call<Problem>('PATCH', '/groups/hq', { body: { name: 'HQ' } });
    expect(notTheirs.status).toBe(403);
    const agent = await tenant.agent.call<Problem>('PATCH', '/groups/desk', { body: { name: 'Desk' } });
    expect(agent.status).toBe(403);
    const badMember = await tenant.admin.call<Problem>('PATCH', '/groups/desk', { body: { members: ['not an id'] } });
    expect(badMember.status).toBe(400);
    const history = await tenant.agent.call<Json>('GET', '/groups/desk');
    expect(history.body).toMatchObject({ members: ['u1', 'u2'], version: 2, updatedBy: tenant.manager.userId });
  });

  it('dispatches an incident only to an active group of the tenant: 422 naming the field, nothing written', async () => {
    const tenant = actorsOf(newTenant('groups'));
    const other = actorsOf(newTenant('groups'));
    await tiered(tenant);
    await createGroups(other, ['elsewhere']);
    const { body: incident } = await tenant.requester.call<{ id: string; version: number }>('POST', '/incidents', { body: sampleIncident() });
    const missing = await tenant.agent.call<Problem>('POST', `/incidents/${incident.id}/assign`, { body: { assignmentGroup: 'no-such-group' } });
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.body.errors).toEqual([{ field: 'body.assignmentGroup', message: "Group 'no-such-group' does not exist." }]);
    // Another tenant's group is no group of this tenant.
    const foreign = await tenant.agent.call<Problem>('POST', `/incidents/${incident.id}/assign`, { body: { assignmentGroup: 'elsewhere' } });
    expect(foreign.status).toBe(422);
    const unchanged = await tenant.agent.call<{ version: number; assignmentGroup: string | null; status: string }>('GET', `/incidents/${incident.id}`);
    expect(unchanged.body).toMatchObject({ version: incident.version, assignmentGroup: null, status: 'new' });
    const history = await tenant.manager.call<{ items: unknown[] }>('GET', `/incidents/${incident.id}/history`);
    expect(history.body.items).toHaveLength(1);
    const dispatched = await tenant.agent.call<Json>('POST', `/incidents/${incident.id}/assign`, { body: { assignmentGroup: 'desk' } });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body).toMatchObject({ assignmentGroup: 'desk', status: 'assigned' });
  });

  it('creates an incident dispatched at once to an active group; an unknown, foreign or retired one is 422 with nothing written', async () => {
    const tenant = actorsOf(newTenant('groups'));
    const other = actorsOf(newTenant('groups'));
    await tiered(tenant);
    await createGroups(tenant, ['old-desk']);
    await createGroups(other, ['elsewhere']);
    expect((await tenant.admin.call('POST', '/groups/old-desk/retire')).status).toBe(200);
    for (const [group, message] of [
      ['no-such-group', "Group 'no-such-group' does not exist."],
      ['elsewhere', "Group 'elsewhere' does not exist."],
      ['old-desk', "Group 'old-desk' is retired."],
    ]) {
      const refused = await tenant.agent.call<Problem>('POST', '/incidents', {
        body: sampleIncident({ assignmentGroup: group }),
        headers: { 'idempotency-key': `refused-${group}` },
      });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body.errors).toEqual([{ field: 'body.assignmentGroup', message }]);
    }
    // Nothing was written, not even a number: the first incident created still takes the first number.
    expect((await tenant.agent.call<{ items: unknown[] }>('GET', '/incidents?status=new')).body.items).toHaveLength(0);
    const asRequester = await tenant.requester.call<Problem>('POST', '/incidents', { body: sampleIncident({ assignmentGroup: 'desk' }) });
    expect(asRequester.status).toBe(403);
    const created = await tenant.agent.call<Json>('POST', '/incidents', { body: sampleIncident({ assignmentGroup: 'desk' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ assignmentGroup: 'desk', status: 'assigned', number: 'INC0001001', version: 1 });
    expect((await tenant.agent.call<Json>('POST', `/incidents/${created.body.id}/start`)).status).toBe(200);
    const queue = await tenant.agent.call<{ items: { id: string }[] }>('GET', '/incidents?group=desk');
    expect(queue.body.items.map((item) => item.id)).toEqual([created.body.id]);
  });

  it('retires a group: no more dispatch to it, no retiring a tier’s default group, and the policy checks refuse it', async () => {
    const tenant = actorsOf(newTenant('groups'));
    await tiered(tenant);
    const tiers = await tenant.admin.call<Json>('PUT', '/settings/group-tiers', {
      body: {
        tiers: [
          { id: 'front-line', name: 'Front line', defaultGroup: 'desk' },
          { id: 'regional', name: 'Regional centre', defaultGroup: 'region-east' },
          { id: 'headquarters', name: 'Headquarters', defaultGroup: 'hq' },
        ],
      },
      headers: { 'if-match': '"0"' },
    });
    expect(tiers.status).toBe(200);
    const wrongTier = await tenant.admin.call<Problem>('PUT', '/settings/group-tiers', {
      body: {
        tiers: [
          { id: 'front-line', name: 'Front line', defaultGroup: 'hq' },
          { id: 'regional', name: 'R' },
          { id: 'headquarters', name: 'HQ' },
        ],
      },
    });
    expect(wrongTier.status).toBe(422);
    const dropsUsed = await tenant.admin.call<Problem>('PUT', '/settings/group-tiers', { body: { tiers: [{ id: 'front-line', name: 'Front line' }] } });
    expect(dropsUsed.status).toBe(409);
    expect((await tenant.admin.call<Problem>('POST', '/groups/desk/retire')).status).toBe(409);
    expect((await tenant.manager.call<Problem>('POST', '/groups/region-east/retire')).status).toBe(403);
    await createGroups(tenant, ['old-desk']);
    const retired = await tenant.admin.call<Json>('POST', '/groups/old-desk/retire', { headers: { 'if-match': '"1"' } });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ status: 'retired', version: 2 });
    expect((await tenant.admin.call<Problem>('PATCH', '/groups/old-desk', { body: { name: 'again' } })).status).toBe(409);
    const { body: incident } = await tenant.requester.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    const toRetired = await tenant.agent.call<Problem>('POST', `/incidents/${incident.id}/assign`, { body: { assignmentGroup: 'old-desk' } });
    expect(toRetired.status).toBe(422);
    expect(toRetired.body.errors?.[0]).toEqual({ field: 'body.assignmentGroup', message: "Group 'old-desk' is retired." });
    const alertPolicy = await tenant.admin.call<Problem>('PUT', '/settings/alert-policy', { body: { defaultAssignmentGroup: 'old-desk' } });
    expect(alertPolicy.status).toBe(422);
    expect(alertPolicy.body.errors?.[0]?.field).toBe('body.defaultAssignmentGroup');
    const escalation = await tenant.admin.call<Problem>('PUT', '/settings/escalation', {
      body: { levels: [{ name: 'L2', metric: 'resolution', trigger: { threshold: 1 }, kind: 'functional', assignmentGroup: 'ghost' }] },
    });
    expect(escalation.status).toBe(422);
    expect(escalation.body.errors?.[0]?.field).toBe('body.levels.0.assignmentGroup');
  });
});
