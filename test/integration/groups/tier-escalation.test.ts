/**
 * Functional escalation between tiers (seed 001 §2.2) over HTTP on the
 * local stack: a P1 left unanswered past its response target moves from
 * its front-line group to the regional tier's default group, and the
 * front-line group's manager is notified (hierarchical), when the local
 * clock jumps past the target and the scheduler wakes the escalation
 * workflow.
 */
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, createGroups, eventually, newTenant, pollUntil, sampleIncident } from '../api-client.js';

const HOUR = 3_600_000;

describe('escalation to the next tier up', () => {
  const tenant = actorsOf(newTenant('tiers'));
  const alwaysOpen = { timeZone: 'UTC', alwaysOpen: true };
  const targets = (ms: number) => ({ 1: ms, 2: ms, 3: ms, 4: ms, 5: ms });
  const sla = {
    definitions: [
      {
        name: 'Around the clock',
        calendar: alwaysOpen,
        metrics: {
          response: { targetsMs: targets(HOUR), stopOn: ['in_progress', 'resolved', 'closed'], onReopen: 'stay_stopped' },
          resolution: { targetsMs: targets(8 * HOUR), stopOn: ['resolved', 'closed'], onReopen: 'resume' },
        },
      },
    ],
  };
  const escalation = {
    levels: [
      // Levels run in order: the manager of the group holding the incident hears first, then it moves up.
      {
        name: 'P1 unanswered: the group manager',
        metric: 'response',
        trigger: { threshold: 1 },
        kind: 'hierarchical',
        notifyGroupManager: true,
        priorities: [1],
      },
      { name: 'P1 unanswered: next tier up', metric: 'response', trigger: { threshold: 1 }, kind: 'functional', toNextTier: true, priorities: [1] },
    ],
  };

  it('a P1 left unanswered moves from the front-line group to the regional tier', { timeout: 90_000 }, async () => {
    await createGroups(tenant, [
      { code: 'hq', tier: 'headquarters' },
      { code: 'region-east', tier: 'regional', managerId: 'region-lead' },
      { code: 'desk', tier: 'front-line', managerId: 'desk-lead' },
    ]);
    const tiers = await tenant.admin.call('PUT', '/settings/group-tiers', {
      body: {
        tiers: [
          { id: 'front-line', name: 'Front line', defaultGroup: 'desk' },
          { id: 'regional', name: 'Regional centre', defaultGroup: 'region-east' },
          { id: 'headquarters', name: 'Headquarters', defaultGroup: 'hq' },
        ],
      },
    });
    expect(tiers.status).toBe(200);
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: sla })).status).toBe(200);
    const saved = await tenant.admin.call('PUT', '/settings/escalation', { body: escalation });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const created = await tenant.agent.call<{ id: string; priority: number }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    expect(created.body.priority).toBe(1);
    const id = created.body.id;
    expect((await tenant.agent.call('POST', `/incidents/${id}/assign`, { body: { assignmentGroup: 'desk' } })).status).toBe(200);
    // The watch sleeps in a one-off schedule at the response target: the jump must find it armed.
    await pollUntil(scheduleNames, (names) => names.some((name) => name.includes(id)), 20_000);

    const jumped = await fetch(`${inject('apiUrl')}/local/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 2 * HOUR }),
    });
    expect(jumped.status).toBe(200);
    const escalatedOf = (events: Awaited<ReturnType<typeof eventually>>) =>
      events.filter((event) => event['detail-type'] === 'IncidentEscalated' && event.detail.incidentId === id);
    const events = await eventually(tenant.tenantId, (all) => escalatedOf(all).length >= 2, 30_000);
    const [hierarchical, functional] = [...escalatedOf(events)].sort(
      (a, b) => Number((a.detail.facts as { level: number }).level) - Number((b.detail.facts as { level: number }).level),
    );
    expect(functional?.detail.facts).toMatchObject({ kind: 'functional', toNextTier: true, assignmentGroup: 'region-east', previousGroup: 'desk' });
    expect(hierarchical?.detail.facts).toMatchObject({ kind: 'hierarchical', groupManager: 'desk-lead', notifyUsers: ['desk-lead'] });

    const incident = await tenant.agent.call<{ assignmentGroup: string; dispatch: { count: number } }>('GET', `/incidents/${id}`);
    expect(incident.body.assignmentGroup).toBe('region-east');
    expect(incident.body.dispatch.count).toBe(2);
    const history = await tenant.manager.call<{ items: { action: string; actorId: string; changes: { field: string; to: unknown }[] }[] }>(
      'GET',
      `/incidents/${id}/history`,
    );
    const escalated = history.body.items.find((entry) => entry.action === 'escalate' && entry.changes.some((change) => change.field === 'assignmentGroup'));
    expect(escalated).toMatchObject({ actorId: 'sla-engine' });
    expect(escalated?.changes.find((change) => change.field === 'assignmentGroup')?.to).toBe('region-east');
  });

  async function scheduleNames(): Promise<string[]> {
    const listed = (await (await fetch(`${inject('apiUrl')}/local/scheduler/schedules`)).json()) as { Schedules: { Name: string }[] };
    return listed.Schedules.map((schedule) => schedule.Name);
  }
});
