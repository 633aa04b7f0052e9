/**
 * A jump of the local business clock (`POST /local/clock`) fires the
 * one-off schedule that wakes the escalation workflow at the next threshold: the breach and the
 * escalation it passed are announced within seconds of real time, without
 * any other edit re-arming the workflow.
 */
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, eventually, newTenant, pollUntil, sampleIncident } from '../api-client.js';

const HOUR = 3_600_000;

describe('a clock jump wakes the escalation workflow', () => {
  const tenant = actorsOf(newTenant('clock-jump'));
  const alwaysOpen = { timeZone: 'UTC', alwaysOpen: true };
  const policy = {
    definitions: [
      {
        name: 'Around the clock',
        calendar: alwaysOpen,
        metrics: {
          response: { targetsMs: { 1: HOUR, 2: HOUR, 3: HOUR, 4: HOUR, 5: HOUR }, stopOn: ['in_progress', 'resolved', 'closed'], onReopen: 'stay_stopped' },
          resolution: { targetsMs: { 1: 8 * HOUR, 2: 8 * HOUR, 3: 8 * HOUR, 4: 8 * HOUR, 5: 8 * HOUR }, stopOn: ['resolved', 'closed'], onReopen: 'resume' },
        },
      },
    ],
  };
  // One level, without quiet hours, so the outcome does not depend on the hour the test runs at.
  const escalation = { levels: [{ name: 'Response late', metric: 'response', trigger: { threshold: 1 }, kind: 'hierarchical', notifyRoles: ['manager'] }] };

  it('a P3 past its response target: SlaBreached and IncidentEscalated within seconds of the jump', { timeout: 60_000 }, async () => {
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: policy })).status).toBe(200);
    expect((await tenant.admin.call('PUT', '/settings/escalation', { body: escalation })).status).toBe(200);
    const created = await tenant.agent.call<{ id: string; priority: number }>('POST', '/incidents', { body: sampleIncident({ impact: 2, urgency: 2 }) });
    expect(created.body.priority).toBe(3);
    const id = created.body.id;
    // The escalation sleeps in a one-off schedule at the next threshold (no workflow runs until then):
    // the jump must find that schedule armed, so it is the jump that fires it.
    const armed = (names: string[]) => names.some((name) => name.includes(id));
    const schedules = await pollUntil(scheduleNames, armed, 20_000);
    expect(armed(schedules)).toBe(true);
    expect((await busEvents()).filter((type) => type === 'SlaBreached' || type === 'IncidentEscalated')).toEqual([]);

    const jumped = await fetch(`${inject('apiUrl')}/local/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 2 * HOUR }),
    });
    expect(jumped.status).toBe(200);
    const started = Date.now();
    const announced = ['SlaBreached', 'IncidentEscalated'];
    await eventually(
      tenant.tenantId,
      (events) => announced.every((type) => events.some((event) => event['detail-type'] === type && event.detail.incidentId === id)),
      4_000,
    );
    expect(await busEvents()).toEqual(expect.arrayContaining(announced));
    expect(Date.now() - started).toBeLessThan(4_000);
    const sla = await tenant.agent.call<{ clocks: { response: { state: string } } }>('GET', `/incidents/${id}/sla`);
    expect(sla.body.clocks.response.state).toBe('breached');

    async function scheduleNames(): Promise<string[]> {
      const listed = (await (await fetch(`${inject('apiUrl')}/local/scheduler/schedules`)).json()) as { Schedules: { Name: string }[] };
      return listed.Schedules.map((schedule) => schedule.Name);
    }

    async function busEvents(): Promise<string[]> {
      const events = await eventually(tenant.tenantId, () => true);
      return events.filter((event) => event.detail.incidentId === id).map((event) => event['detail-type']);
    }
  });
});
