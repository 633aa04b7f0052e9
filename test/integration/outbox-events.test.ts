/**
 * The outbox reaches the bus: every change of an incident yields exactly
 * one event (by id) of the right type, also when the bus refuses entries
 * and the publisher has to retry.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, type BusEvent, createGroups, eventually, localFetch, newTenant, sampleIncident } from './api-client.js';

type AuditEntry = { action: string; eventId: string; version: number };

const EVENT_OF_ACTION: Record<string, string> = {
  create: 'IncidentCreated',
  update: 'IncidentUpdated',
  assign: 'IncidentAssigned',
  start: 'IncidentWorkStarted',
  hold: 'IncidentPutOnHold',
  resume: 'IncidentResumed',
  resolve: 'IncidentResolved',
  close: 'IncidentClosed',
  reopen: 'IncidentReopened',
  cancel: 'IncidentCancelled',
  note: 'IncidentNoteAdded',
};

async function historyOf(tenant: ReturnType<typeof actorsOf>, incidentId: string): Promise<AuditEntry[]> {
  return (await tenant.agent.call<{ items: AuditEntry[] }>('GET', `/incidents/${incidentId}/history`)).body.items;
}

function distinctIds(events: BusEvent[]): Set<string> {
  return new Set(events.map((event) => event.detail.eventId));
}

describe('outbox → bus', () => {
  it('publishes exactly one event of the right type per change, in version order', async () => {
    const tenant = actorsOf(newTenant('outbox'));
    await createGroups(tenant, ['desk']);
    const { body } = await tenant.requester.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${body.id}/start`);
    await tenant.agent.call('POST', `/incidents/${body.id}/notes`, { body: { visibility: 'comment', body: 'On it.' } });
    await tenant.agent.call('POST', `/incidents/${body.id}/resolve`, { body: { code: 'solved_workaround', notes: 'Restarted' } });
    await tenant.requester.call('POST', `/incidents/${body.id}/close`);

    const history = await historyOf(tenant, body.id);
    // The incident's events only: forming the group published one too.
    const ofIncident = (seen: BusEvent[]) => seen.filter((event) => event.detail.incidentId === body.id);
    const events = ofIncident(await eventually(tenant.tenantId, (seen: BusEvent[]) => distinctIds(ofIncident(seen)).size >= history.length));

    expect(events).toHaveLength(history.length);
    for (const entry of history) {
      const matching = events.filter((event) => event.detail.eventId === entry.eventId);
      expect(matching).toHaveLength(1);
      expect(matching[0]).toMatchObject({
        source: 'itsm.incidents',
        'detail-type': EVENT_OF_ACTION[entry.action],
        detail: { version: entry.version, incidentId: body.id },
      });
    }
    // A single incident's events arrive in the order they happened.
    expect(events.map((event) => event.detail.version)).toEqual(history.map((entry) => entry.version));
  });

  it('loses nothing when the bus refuses entries mid-batch: redeliveries carry the same id', async () => {
    const tenant = actorsOf(newTenant('faulty'));
    const faults = await localFetch('/local/event-bus/faults', tenant.tenantId, { method: 'POST', body: JSON.stringify({ failEntries: 9 }) });
    expect(faults.status).toBe(200);
    const ids: string[] = [];
    for (let index = 0; index < 6; index++)
      ids.push((await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ title: `Storm ${index}` }) })).body.id);
    const expected = new Set<string>();
    for (const id of ids) for (const entry of await historyOf(tenant, id)) expected.add(entry.eventId);

    const events = await eventually(tenant.tenantId, (seen: BusEvent[]) => [...expected].every((id) => distinctIds(seen).has(id)));

    expect(distinctIds(events)).toEqual(expected);
    // The injected failures were all met (by this test's publishes or by others' running alongside).
    const remaining = (await (await localFetch('/local/event-bus/faults', tenant.tenantId)).json()) as { failEntries: number };
    expect(remaining.failEntries).toBe(0);
    for (const eventId of expected) {
      const copies = events.filter((event) => event.detail.eventId === eventId);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      expect(new Set(copies.map((copy) => JSON.stringify(copy.detail))).size).toBe(1);
    }
  });

  it('streams events to a watcher as server-sent events', async () => {
    const tenant = actorsOf(newTenant('watch'));
    const controller = new AbortController();
    const response = await localFetch('/local/events', tenant.tenantId, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const created = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!text.includes(created.body.id) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toMatch(/event: IncidentCreated\ndata: .*"incidentId":"/);
    expect(text).toContain(created.body.id);
  });
});
