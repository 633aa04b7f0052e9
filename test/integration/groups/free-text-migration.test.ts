/**
 * The free-text migration against DynamoDB Local: incidents stored before
 * groups existed (written through the data layer, as the API no longer
 * takes an unknown group) and a policy naming one become group records;
 * running it again changes nothing; paging resumes from the cursor.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, newTenant, sampleIncident, useLocalTable } from '../api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable();
const { getIncident, saveIncident } = await import('#shared/data/incidents/incident-repository.js');
const { applyIncidentAction } = await import('#shared/domain/incidents/incident.js');
const { migrateFreeTextGroups } = await import('#shared/services/groups/free-text-migration.js');

describe('migrating free-text assignment groups', () => {
  it('makes a group of every free-text code the tenant stores, once', async () => {
    const tenant = actorsOf(newTenant('migrate'));
    const actor = { tenantId: tenant.tenantId, userId: 'legacy-agent', roles: ['manager' as const] };
    const legacy = ['legacy-net', 'legacy-db', 'legacy-net'];
    for (const group of legacy) {
      const { body } = await tenant.requester.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
      const incident = await getIncident(tenant.tenantId, body.id);
      if (!incident) throw new Error('incident not stored');
      const change = applyIncidentAction(incident, { action: 'assign', assignmentGroup: group }, { actor, now: new Date().toISOString() });
      await saveIncident(change, actor, incident.version, false);
    }
    expect((await tenant.agent.call('GET', '/groups/legacy-net')).status).toBe(404);

    // One incident per page: the call stops after two pages and says where to go on.
    const first = await migrateFreeTextGroups(tenant.tenantId, { maxPages: 2, pageSize: 1, now: new Date().toISOString() });
    expect(first.nextCursor).not.toBeNull();
    const rest = await migrateFreeTextGroups(tenant.tenantId, { cursor: first.nextCursor ?? undefined, now: new Date().toISOString() });
    expect(rest.nextCursor).toBeNull();
    expect(first.incidentsRead + rest.incidentsRead).toBe(3);
    expect([...first.created, ...rest.created].sort()).toEqual(['legacy-db', 'legacy-net']);

    const again = await migrateFreeTextGroups(tenant.tenantId, { now: new Date().toISOString() });
    expect(again.created).toEqual([]);
    expect([...again.existing].sort()).toEqual(['legacy-db', 'legacy-net']);

    const migrated = await tenant.agent.call<Record<string, unknown>>('GET', '/groups/legacy-net');
    expect(migrated.body).toMatchObject({ code: 'legacy-net', tier: 'front-line', status: 'active', createdBy: 'migration:free-text-groups' });
    const { body: next } = await tenant.requester.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    expect((await tenant.agent.call('POST', `/incidents/${next.id}/assign`, { body: { assignmentGroup: 'legacy-db' } })).status).toBe(200);
  });
});
