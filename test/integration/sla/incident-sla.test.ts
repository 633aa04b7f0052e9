/**
 * `GET /incidents/{id}/sla`: the clocks replayed from the incident's history.
 * Wall-clock independent: assertions hold whether the office is open or not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actorsOf, createGroups, newTenant, sampleIncident } from '../api-client.js';

type Clock = {
  metric: string;
  priority: number;
  targetMs: number;
  state: string;
  mode: string;
  stoppedAt: string | null;
  dueAt: string | null;
  timeline: { kind?: string }[];
};
type Sla = { sla: string; clocks: { response: Clock; resolution: Clock } };

describe('incident SLA', () => {
  const tenant = actorsOf(newTenant('sla'));
  beforeAll(() => createGroups(tenant, ['desk']));

  it('runs both clocks from creation with the priority targets, meets response when work starts, pauses resolution while awaiting the customer', async () => {
    const { body } = await tenant.requester.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    const fresh = await tenant.requester.call<Sla>('GET', `/incidents/${body.id}/sla`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.clocks.response).toMatchObject({ metric: 'response', priority: 1, targetMs: 3_600_000, mode: 'running', stoppedAt: null });
    expect(fresh.body.clocks.resolution).toMatchObject({ metric: 'resolution', priority: 1, targetMs: 4 * 3_600_000, mode: 'running' });

    await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${body.id}/start`);
    await tenant.agent.call('POST', `/incidents/${body.id}/hold`, { body: { reason: 'awaiting_customer' } });
    const held = (await tenant.agent.call<Sla>('GET', `/incidents/${body.id}/sla`)).body;
    expect(held.clocks.response).toMatchObject({ state: 'met', mode: 'stopped' });
    expect(held.clocks.resolution).toMatchObject({ state: 'paused', mode: 'paused', dueAt: null });

    await tenant.agent.call('POST', `/incidents/${body.id}/resume`);
    await tenant.agent.call('POST', `/incidents/${body.id}/resolve`, { body: { code: 'solved_permanently', notes: 'Done' } });
    const resolved = (await tenant.agent.call<Sla>('GET', `/incidents/${body.id}/sla`)).body;
    expect(resolved.clocks.resolution).toMatchObject({ state: 'met', mode: 'stopped' });
    expect(resolved.clocks.resolution.timeline.length).toBeGreaterThan(2);
  });

  it("re-targets when the priority changes, and hides other tenants' incidents", async () => {
    const { body } = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) });
    expect((await tenant.agent.call<Sla>('GET', `/incidents/${body.id}/sla`)).body.clocks.response.targetMs).toBe(8 * 3_600_000);
    await tenant.agent.call('PATCH', `/incidents/${body.id}`, { body: { impact: 1, urgency: 2 } });
    expect((await tenant.agent.call<Sla>('GET', `/incidents/${body.id}/sla`)).body.clocks.response).toMatchObject({ priority: 2, targetMs: 2 * 3_600_000 });
    expect((await actorsOf(newTenant('sla-other')).agent.call('GET', `/incidents/${body.id}/sla`)).status).toBe(404);
  });
});

describe('SLA definition', () => {
  const tenant = actorsOf(newTenant('sla-def'));
  const allDay = { timeZone: 'Europe/Paris', alwaysOpen: true };
  const definition = {
    name: 'Gold 24×7',
    calendar: allDay,
    metrics: {
      response: {
        targetsMs: { 1: 1_800_000, 2: 3_600_000, 3: 7_200_000, 4: 14_400_000, 5: 28_800_000 },
        stopOn: ['in_progress', 'resolved', 'closed'],
        onReopen: 'stay_stopped',
      },
    },
  };

  it('is the standard SLA until an admin replaces it; clocks follow the new one at once', async () => {
    const standard = await tenant.agent.call<{ version: number; definitions: { name: string }[] }>('GET', '/settings/sla');
    expect(standard.body).toMatchObject({ version: 0, definitions: [{ name: 'Standard incident SLA' }], calendarOverrides: [] });
    const { body } = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });

    expect((await tenant.manager.call('PUT', '/settings/sla', { body: { definitions: [definition] } })).status).toBe(403);
    const badZone = await tenant.admin.call<{ errors: { field: string }[] }>('PUT', '/settings/sla', {
      body: { definitions: [{ ...definition, calendar: { timeZone: 'Mars/Olympus' } }] },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors.map((error) => error.field)).toContain('body.definitions.0.calendar.timeZone');
    const saved = await tenant.admin.call<{ version: number }>('PUT', '/settings/sla', { body: { definitions: [definition] }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: { definitions: [definition] }, headers: { 'if-match': '"0"' } })).status).toBe(412);

    const clocks = (await tenant.agent.call<Sla>('GET', `/incidents/${body.id}/sla`)).body;
    expect(clocks.sla).toBe('Gold 24×7');
    expect(clocks.clocks.response).toMatchObject({ targetMs: 1_800_000, mode: 'running' });
    expect(clocks.clocks.resolution).toBeUndefined();
    // 24×7: the due time is exactly creation + 30 minutes.
    const response = clocks.clocks.response as Clock & { startedAt: string };
    expect(Date.parse(response.dueAt ?? '') - Date.parse(response.startedAt)).toBe(1_800_000);
  });
});

describe('SLA definition validation', () => {
  it('refuses unknown fields at any depth', async () => {
    const tenant = actorsOf(newTenant('sla-strict'));
    const definition = {
      name: 'Typo',
      calendar: { timeZone: 'UTC', alwaysOpen: true, holidayz: ['2026-12-25'] },
      metrics: { response: { targetsMs: { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 }, stopOn: ['in_progress'], onReopen: 'stay_stopped' } },
    };
    const response = await tenant.admin.call<{ errors: { field: string; message: string }[] }>('PUT', '/settings/sla', { body: { definitions: [definition] } });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual({ field: 'body.definitions.0.calendar.holidayz', message: 'Unknown field' });
  });
});

describe('SLA policy: which SLA applies, and whose calendar', () => {
  const tenant = actorsOf(newTenant('sla-policy'));
  const targets = (hours: number) => ({ 1: hours * 3_600_000, 2: hours * 3_600_000, 3: hours * 3_600_000, 4: hours * 3_600_000, 5: hours * 3_600_000 });
  const metric = (hours: number) => ({ response: { targetsMs: targets(hours), stopOn: ['in_progress', 'resolved', 'closed'], onReopen: 'stay_stopped' } });
  const alwaysOpen = { timeZone: 'UTC', alwaysOpen: true };

  it('picks the first definition that applies, swaps it when the incident moves, and applies customer over service calendars', async () => {
    const policy = {
      definitions: [
        { name: 'ERP gold', appliesTo: { serviceIds: ['erp'] }, calendar: alwaysOpen, metrics: metric(1) },
        { name: 'Acme P1-P2', appliesTo: { customerIds: ['acme-co'], priorities: [1, 2] }, calendar: alwaysOpen, metrics: metric(2) },
        { name: 'Everything else', calendar: alwaysOpen, metrics: metric(8) },
      ],
      calendarOverrides: [
        { serviceId: 'erp', calendar: { timeZone: 'Europe/Berlin', alwaysOpen: true } },
        { customerId: 'acme-co', calendar: { timeZone: 'Asia/Tokyo', alwaysOpen: true } },
      ],
    };
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: policy })).status).toBe(200);
    const sla = async (id: string) => (await tenant.agent.call<Sla & { calendarSource: unknown; slaIndex: number }>('GET', `/incidents/${id}/sla`)).body;

    const erp = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ serviceId: 'erp', customerId: 'acme-co' }) })).body;
    expect(await sla(erp.id)).toMatchObject({ sla: 'ERP gold', slaIndex: 0, calendarSource: { kind: 'customer', id: 'acme-co' } });

    const acme = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ customerId: 'acme-co', impact: 1, urgency: 1 }) }))
      .body;
    expect(await sla(acme.id)).toMatchObject({ sla: 'Acme P1-P2', clocks: { response: { targetMs: 2 * 3_600_000 } } });

    const other = (await tenant.agent.call<{ id: string; version: number }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) })).body;
    expect(await sla(other.id)).toMatchObject({ sla: 'Everything else', calendarSource: { kind: 'sla' } });
    // Moved to the ERP service: the ERP SLA applies, replayed from creation, with the service's calendar.
    await tenant.agent.call('PATCH', `/incidents/${other.id}`, { body: { serviceId: 'erp' }, headers: { 'if-match': `"${other.version}"` } });
    const moved = await sla(other.id);
    expect(moved).toMatchObject({ sla: 'ERP gold', calendarSource: { kind: 'service', id: 'erp' }, clocks: { response: { targetMs: 3_600_000 } } });
  });

  it('no applicable definition: no clocks, and the policy refuses duplicate names and double overrides', async () => {
    const local = actorsOf(newTenant('sla-none'));
    const narrow = { definitions: [{ name: 'ERP only', appliesTo: { serviceIds: ['erp'] }, calendar: alwaysOpen, metrics: metric(1) }] };
    expect((await local.admin.call('PUT', '/settings/sla', { body: narrow })).status).toBe(200);
    const incident = (await local.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() })).body;
    expect((await local.agent.call('GET', `/incidents/${incident.id}/sla`)).body).toMatchObject({ sla: null, clocks: {} });

    const duplicate = await local.admin.call('PUT', '/settings/sla', { body: { definitions: [narrow.definitions[0], narrow.definitions[0]] } });
    expect(duplicate.status).toBe(400);
    const twice = await local.admin.call('PUT', '/settings/sla', {
      body: {
        ...narrow,
        calendarOverrides: [
          { serviceId: 'erp', calendar: alwaysOpen },
          { serviceId: 'erp', calendar: alwaysOpen },
        ],
      },
    });
    expect(twice.status).toBe(400);
    const both = await local.admin.call('PUT', '/settings/sla', {
      body: { ...narrow, calendarOverrides: [{ serviceId: 'erp', customerId: 'x', calendar: alwaysOpen }] },
    });
    expect(both.status).toBe(400);
  });
});

describe('escalation policy settings', () => {
  it('serves the seed policy, lets only tenant admins replace it, versioned, and refuses incoherent levels', async () => {
    const tenant = actorsOf(newTenant('escalation-settings'));
    await createGroups(tenant, [{ code: 'network-l2', tier: 'regional' }]);
    const seed = await tenant.agent.call<{ version: number; levels: { kind: string }[] }>('GET', '/settings/escalation');
    expect(seed.status).toBe(200);
    expect(seed.body.version).toBe(0);
    expect(seed.body.levels.length).toBeGreaterThan(0);

    const policy = {
      levels: [
        { name: 'Second line', metric: 'resolution', trigger: { threshold: 0.75 }, kind: 'functional', assignmentGroup: 'network-l2' },
        {
          name: 'Owner',
          metric: 'resolution',
          trigger: { elapsedMs: 8 * 3_600_000 },
          kind: 'hierarchical',
          notifyUsers: ['owner-1'],
          repeat: { count: 2, everyMs: 3_600_000 },
        },
      ],
    };
    expect((await tenant.manager.call('PUT', '/settings/escalation', { body: policy })).status).toBe(403);
    const incoherent = await tenant.admin.call<{ errors: { field: string }[] }>('PUT', '/settings/escalation', {
      body: { levels: [{ name: 'x', metric: 'resolution', trigger: { threshold: 1 }, kind: 'functional' }] },
    });
    expect(incoherent.status).toBe(400);
    expect(incoherent.body.errors.map((error) => error.field)).toContain('body.levels.0.assignmentGroup');
    const saved = await tenant.admin.call<{ version: number; levels: unknown[] }>('PUT', '/settings/escalation', {
      body: policy,
      headers: { 'if-match': '"0"' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, levels: policy.levels });
    expect((await tenant.admin.call('PUT', '/settings/escalation', { body: policy, headers: { 'if-match': '"0"' } })).status).toBe(412);
  });
});
