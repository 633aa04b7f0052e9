/**
 * The SLA watch is armed by the incident's own events, through the same
 * bus rule CDK deploys (`ArmSlaEscalation`) and the local scheduler: one
 * one-off schedule per incident, moved by each change that can move its
 * next wake-up and removed on resolution; no execution runs until it has
 * work. A policy change re-arms every open incident.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { escalationSchedulePrefix } from '#shared/services/sla/escalation-watch.js';
import { actorsOf, createGroups, eventually, type LocalExecutionView, localExecutions, newTenant, pollUntil, sampleIncident } from '../api-client.js';

/** The local scheduler's schedules of one incident (what ListSchedules answers). */
async function schedulesOf(tenantId: string, incidentId: string): Promise<string[]> {
  const url = `${inject('apiUrl')}/local/scheduler/schedules?NamePrefix=${escalationSchedulePrefix(tenantId, incidentId)}`;
  return ((await (await fetch(url)).json()) as { Schedules: { Name: string }[] }).Schedules.map((schedule) => schedule.Name);
}

/** The parts of the SLA policy these tests change. */
type Policy = { definitions: { metrics: { response: { targetsMs: Record<string, number> } } }[] };

/** Polls the incident's schedules until they satisfy `done`. */
function pollSchedules(tenantId: string, incidentId: string, done: (names: string[]) => boolean): Promise<string[]> {
  return pollUntil(() => schedulesOf(tenantId, incidentId), done);
}

/** Polls the local executions until those of `incidentId` satisfy `done`. */
function executionsOf(tenantId: string, incidentId: string, done: (executions: LocalExecutionView[]) => boolean): Promise<LocalExecutionView[]> {
  return pollUntil(async () => (await localExecutions(tenantId)).filter((execution) => JSON.parse(execution.input).incidentId === incidentId), done);
}

describe('arming the SLA watch', () => {
  const tenant = actorsOf(newTenant('arming'));
  beforeAll(() => createGroups(tenant, ['desk']));

  it('creation arms one schedule and starts nothing; starting work moves it; resolution removes it', async () => {
    const created = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) });
    const id = created.body.id;
    const [first] = await pollSchedules(tenant.tenantId, id, (names) => names.length === 1);
    expect(first).toMatch(new RegExp(`^${escalationSchedulePrefix(tenant.tenantId, id)}\\d+$`));

    await tenant.agent.call('POST', `/incidents/${id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${id}/start`);
    // The response clock stopped: the next wake-up is a resolution threshold, later.
    const [moved] = await pollSchedules(tenant.tenantId, id, (names) => names.length === 1 && names[0] !== first);
    expect(Number(moved?.split('-').at(-1))).toBeGreaterThan(Number(first?.split('-').at(-1)));

    expect((await tenant.agent.call('POST', `/incidents/${id}/resolve`, { body: { code: 'solved_permanently', notes: 'Fixed' } })).status).toBe(200);
    await pollSchedules(tenant.tenantId, id, (names) => names.length === 0);
    expect(await executionsOf(tenant.tenantId, id, () => true)).toEqual([]);
  });

  it('a priority raised past a threshold starts the workflow at once, named after the change, and a redelivery starts nothing new', async () => {
    // A tenant whose P1 must be answered within a millisecond, around the clock: raising the priority breaches it at once.
    const due = actorsOf(newTenant('arming-due'));
    const { admin, agent } = due;
    const policy = (await admin.call<Policy>('GET', '/settings/sla')).body;
    const urgent = policy.definitions.map((definition) => ({
      ...definition,
      calendar: { timeZone: 'UTC', alwaysOpen: true },
      metrics: { ...definition.metrics, response: { ...definition.metrics.response, targetsMs: { ...definition.metrics.response.targetsMs, 1: 1 } } },
    }));
    expect((await admin.call('PUT', '/settings/sla', { body: { definitions: urgent } })).status).toBe(200);
    const created = await agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) });
    const id = created.body.id;
    await pollSchedules(due.tenantId, id, (names) => names.length === 1);
    const raised = await agent.call<{ version: number }>('PATCH', `/incidents/${id}`, { body: { impact: 1, urgency: 1 }, headers: { 'if-match': '"1"' } });
    expect(raised.status).toBe(200);
    const [run] = await executionsOf(due.tenantId, id, (found) => found.some((execution) => execution.status === 'SUCCEEDED'));
    expect(run?.name).toBe(`${id}-v${raised.body.version}`);
    expect(JSON.parse(run?.output ?? '{}').announced).toContain('response:1');

    const events = await eventually(due.tenantId, (seen) =>
      seen.some((event) => event.detail.incidentId === id && event.detail.version === raised.body.version),
    );
    const event = events.find((candidate) => candidate.detail.incidentId === id && candidate.detail.version === raised.body.version);
    const put = await fetch(`${inject('apiUrl')}/local/eventbridge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({
        Entries: [{ EventBusName: 'itsm-local', Source: event?.source, DetailType: event?.['detail-type'], Detail: JSON.stringify(event?.detail) }],
      }),
    });
    expect(((await put.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await executionsOf(due.tenantId, id, () => true)).map((execution) => execution.name)).toEqual([`${id}-v${raised.body.version}`]);
    // The run armed the next wake-up: one schedule.
    expect(await pollSchedules(due.tenantId, id, (names) => names.length === 1)).toHaveLength(1);
  });
});

describe('re-arming on a policy change', () => {
  const tenant = actorsOf(newTenant('rearm'));
  beforeAll(() => createGroups(tenant, ['desk']));

  it('a shortened target re-arms each open incident’s schedule earlier; settled incidents get none', async () => {
    const open = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) })).body.id;
    const done = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() })).body.id;
    await tenant.agent.call('POST', `/incidents/${done}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${done}/resolve`, { body: { code: 'solved_permanently', notes: 'Fixed' } });
    const [before] = await pollSchedules(tenant.tenantId, open, (names) => names.length === 1);
    await pollSchedules(tenant.tenantId, done, (names) => names.length === 0);

    const policy = (await tenant.admin.call<Policy>('GET', '/settings/sla')).body;
    const halved = policy.definitions.map((definition) => ({
      ...definition,
      metrics: {
        ...definition.metrics,
        response: {
          ...definition.metrics.response,
          targetsMs: Object.fromEntries(Object.entries(definition.metrics.response.targetsMs).map(([priority, ms]) => [priority, ms / 2])),
        },
      },
    }));
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: { definitions: halved } })).status).toBe(200);

    const [after] = await pollSchedules(tenant.tenantId, open, (names) => names.length === 1 && names[0] !== before);
    expect(Number(after?.split('-').at(-1))).toBeLessThan(Number(before?.split('-').at(-1)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await schedulesOf(tenant.tenantId, done)).toEqual([]);
  });
});
