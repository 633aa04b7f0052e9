/**
 * `GET /incidents/{id}/sla`: the clocks replayed from the incident's history.
 * Wall-clock independent: assertions hold whether the office is open or not.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, newTenant, sampleIncident } from './api-client.js';

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
