/**
 * A jump of the local business clock (`POST /local/clock`) wakes the
 * escalation workflow waiting for the next threshold: the breach and the
 * escalation it passed are announced within seconds of real time, without
 * any other edit re-arming the workflow.
 */
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, eventually, type LocalExecutionView, localExecutions, newTenant, pollUntil, sampleIncident } from '../api-client.js';

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
    // A policy saved just before may re-arm the incident (stop and start another execution of it): any running one will do.
    const waiting = (found: LocalExecutionView[]) => found.some((execution) => execution.status === 'RUNNING' && execution.currentState === 'WaitForThreshold');
    const watchers = await pollUntil(async () => (await localExecutions()).filter((execution) => execution.name.startsWith(`${id}-`)), waiting, 20_000);
    // The jump must find the workflow waiting for its first threshold, not yet evaluating.
    expect(waiting(watchers)).toBe(true);
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

    async function busEvents(): Promise<string[]> {
      const events = await eventually(tenant.tenantId, () => true);
      return events.filter((event) => event.detail.incidentId === id).map((event) => event['detail-type']);
    }
  });
});
