/**
 * The escalation workflow is started by the incident's own events, through
 * the same bus rule CDK deploys (`ArmSlaEscalation`) and the local Step
 * Functions stand-in: one execution per arming change, named after the
 * incident and its version, never two for the same change.
 */
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, eventually, type LocalExecutionView, localExecutions, newTenant, pollUntil, sampleIncident } from '../api-client.js';

/** Polls the local executions until those of `incidentId` satisfy `done`. */
function executionsOf(tenantId: string, incidentId: string, done: (executions: LocalExecutionView[]) => boolean): Promise<LocalExecutionView[]> {
  return pollUntil(async () => (await localExecutions(tenantId)).filter((execution) => execution.name.startsWith(`${incidentId}-v`)), done);
}

describe('arming the escalation workflow', () => {
  const tenant = actorsOf(newTenant('arming'));

  it('starts on creation, re-arms on a priority change and on resume, not on assignment, start or hold', async () => {
    const created = await tenant.agent.call<{ id: string; version: number }>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) });
    const id = created.body.id;
    const first = await executionsOf(tenant.tenantId, id, (found) => found.length >= 1);
    expect(first.map((execution) => execution.name)).toEqual([`${id}-v1`]);
    expect(JSON.parse(first[0]?.input ?? '{}')).toEqual({ tenantId: tenant.tenantId, incidentId: id, generation: 1 });
    expect(first[0]?.status).toBe('RUNNING');

    const raised = await tenant.agent.call<{ version: number }>('PATCH', `/incidents/${id}`, {
      body: { impact: 1, urgency: 1 },
      headers: { 'if-match': '"1"' },
    });
    expect(raised.status).toBe(200);
    await tenant.agent.call('POST', `/incidents/${id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${id}/start`);
    const held = await tenant.agent.call<{ version: number }>('POST', `/incidents/${id}/hold`, { body: { reason: 'awaiting_customer' } });
    const resumed = await tenant.agent.call<{ version: number }>('POST', `/incidents/${id}/resume`);
    expect(resumed.status).toBe(200);
    await eventually(tenant.tenantId, (events) => events.some((event) => event['detail-type'] === 'IncidentResumed'));

    const all = await executionsOf(tenant.tenantId, id, (found) => found.length >= 3);
    expect(all.map((execution) => execution.name).sort()).toEqual([`${id}-v1`, `${id}-v${raised.body.version}`, `${id}-v${resumed.body.version}`].sort());
    expect(all.some((execution) => execution.name === `${id}-v${held.body.version}`)).toBe(false);
  });

  it('a redelivered arming event starts nothing new', async () => {
    const created = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    const events = await eventually(tenant.tenantId, (seen) => seen.some((event) => event.detail.incidentId === created.body.id));
    const event = events.find((candidate) => candidate.detail.incidentId === created.body.id);
    await executionsOf(tenant.tenantId, created.body.id, (found) => found.length >= 1);
    // The same event put on the bus again, as an at-least-once redelivery would bring it.
    const put = await fetch(`${inject('apiUrl')}/local/eventbridge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({
        Entries: [{ EventBusName: 'itsm-local', Source: event?.source, DetailType: event?.['detail-type'], Detail: JSON.stringify(event?.detail) }],
      }),
    });
    expect(((await put.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    await eventually(tenant.tenantId, (seen) => seen.filter((candidate) => candidate.detail.eventId === event?.detail.eventId).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await executionsOf(tenant.tenantId, created.body.id, () => true)).map((execution) => execution.name)).toEqual([`${created.body.id}-v1`]);
  });
});

describe('re-arming on a policy change', () => {
  const tenant = actorsOf(newTenant('rearm'));

  it('a saved SLA policy stops each open incident’s watcher and starts one under the new versions; settled incidents are left alone', async () => {
    const open = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() })).body.id;
    const held = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() })).body.id;
    await tenant.agent.call('POST', `/incidents/${held}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${held}/start`);
    await tenant.agent.call('POST', `/incidents/${held}/hold`, { body: { reason: 'awaiting_customer' } });
    const done = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() })).body.id;
    await tenant.agent.call('POST', `/incidents/${done}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${done}/resolve`, { body: { code: 'solved_permanently', notes: 'Fixed' } });
    for (const id of [open, held, done]) await executionsOf(tenant.tenantId, id, (found) => found.length >= 1);

    const standard = (await tenant.admin.call<{ definitions: unknown[] }>('GET', '/settings/sla')).body.definitions;
    expect((await tenant.admin.call('PUT', '/settings/sla', { body: { definitions: standard } })).status).toBe(200);

    for (const id of [open, held]) {
      const found = await executionsOf(tenant.tenantId, id, (executions) => executions.some((execution) => execution.name === `${id}-v1-s1-e0`));
      const byName = Object.fromEntries(found.map((execution) => [execution.name, execution.status]));
      expect(byName[`${id}-v1-s1-e0`]).toBe('RUNNING');
      expect(byName[`${id}-v1`]).toBe('ABORTED');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await executionsOf(tenant.tenantId, done, () => true)).map((execution) => execution.name)).toEqual([`${done}-v1`]);
  });
});
