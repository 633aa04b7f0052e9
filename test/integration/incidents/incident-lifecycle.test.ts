/**
 * The incident practice end to end over HTTP, against DynamoDB Local.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actorsOf, createGroups, newTenant, sampleIncident } from '../api-client.js';

type Incident = { id: string; number: string; status: string; version: number; priority: number; [key: string]: unknown };

describe('incident life cycle', () => {
  const acme = actorsOf(newTenant('life'));
  beforeAll(() => createGroups(acme, ['service-desk', 'network-ops', 'desk']));

  it('runs create → queue → assign → work note → resolve → close, and records the history', async () => {
    // Prepare: the requester raises an incident
    const created = await acme.requester.call<Incident>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 2 }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'new', priority: 2, requesterId: acme.requester.userId, version: 1 });
    expect(created.body.number).toMatch(/^INC\d{7}$/);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/incidents/${created.body.id}`);
    const id = created.body.id;
    // allowedActions are the caller's: nothing for the requester of a new incident, dispatch for staff, cancel for managers.
    expect(created.body.allowedActions).toEqual([]);
    expect((await acme.agent.call<Incident>('GET', `/incidents/${id}`)).body.allowedActions).toEqual(['assign']);
    expect((await acme.manager.call<Incident>('GET', `/incidents/${id}`)).body.allowedActions).toEqual(['assign', 'cancel']);

    // Act + Assess: it is in the "new" queue
    const queue = await acme.agent.call<{ items: Incident[] }>('GET', '/incidents?status=new');
    expect(queue.body.items.map((item) => item.id)).toContain(id);
    expect(queue.body.items.find((item) => item.id === id)?.allowedActions).toEqual(['assign']);

    const assigned = await acme.agent.call<Incident>('POST', `/incidents/${id}/assign`, {
      body: { assignmentGroup: 'service-desk', assigneeId: acme.agent.userId },
      headers: { 'if-match': '"1"' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', assignmentGroup: 'service-desk', version: 2, dispatch: { count: 1, returned: 0 } });

    const started = await acme.agent.call<Incident>('POST', `/incidents/${id}/start`, { headers: { 'if-match': '"2"' } });
    expect(started.body.status).toBe('in_progress');

    const note = await acme.agent.call('POST', `/incidents/${id}/notes`, { body: { visibility: 'work_note', body: 'Rebooted the concentrator.' } });
    expect(note.status).toBe(201);
    const comment = await acme.agent.call('POST', `/incidents/${id}/notes`, { body: { visibility: 'comment', body: 'Please try again now.' } });
    expect(comment.status).toBe(201);

    const resolved = await acme.agent.call<Incident>('POST', `/incidents/${id}/resolve`, { body: { code: 'solved_permanently', notes: 'Firmware upgraded.' } });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: { code: 'solved_permanently', resolvedBy: acme.agent.userId } });

    const closed = await acme.requester.call<Incident>('POST', `/incidents/${id}/close`, { body: { note: 'Works, thanks.' } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closure: { confirmation: 'requester', confirmedBy: acme.requester.userId }, allowedActions: [] });

    const history = await acme.agent.call<{ items: { action: string; version: number; actorId: string; changes: { field: string }[] }[] }>(
      'GET',
      `/incidents/${id}/history`,
    );
    expect(history.body.items.map((entry) => entry.action)).toEqual(['create', 'assign', 'start', 'note', 'note', 'resolve', 'close']);
    expect(history.body.items.map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(history.body.items[1]?.changes.map((change) => change.field)).toEqual(expect.arrayContaining(['assignmentGroup', 'assigneeId', 'status']));

    // The requester sees the comment, not the work note
    const requesterNotes = await acme.requester.call<{ items: { visibility: string }[] }>('GET', `/incidents/${id}/notes`);
    expect(requesterNotes.body.items.map((item) => item.visibility)).toEqual(['comment']);
    const agentNotes = await acme.agent.call<{ items: { visibility: string }[] }>('GET', `/incidents/${id}/notes`);
    expect(agentNotes.body.items.map((item) => item.visibility)).toEqual(['work_note', 'comment']);
  });

  it('reopens a resolved incident and refuses illegal transitions with the allowed ones', async () => {
    const { body } = await acme.agent.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    await acme.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'network-ops' } });
    const early = await acme.agent.call('POST', `/incidents/${body.id}/close`);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toBe('application/problem+json');
    expect(early.body).toMatchObject({
      type: 'urn:itsm:problem:illegal-transition',
      currentStatus: 'assigned',
      allowedActions: ['assign', 'start', 'hold', 'resolve', 'cancel'],
    });

    await acme.agent.call('POST', `/incidents/${body.id}/resolve`, { body: { code: 'solved_workaround', notes: 'Restarted.' } });
    const reopened = await acme.requester.call<Incident>('POST', `/incidents/${body.id}/reopen`, { body: { reason: 'It broke again' } });
    expect(reopened.status).toBe(404); // not the requester's incident: the agent logged it for themselves
    const byAgent = await acme.agent.call<Incident>('POST', `/incidents/${body.id}/reopen`, { body: { reason: 'It broke again' } });
    expect(byAgent.body).toMatchObject({ status: 'in_progress', reopenCount: 1, resolution: null });
  });

  it('puts on hold and resumes, and lets only managers reassign to another group or cancel', async () => {
    const { body } = await acme.requester.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    await acme.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    await acme.agent.call('POST', `/incidents/${body.id}/start`);
    const held = await acme.agent.call<Incident>('POST', `/incidents/${body.id}/hold`, { body: { reason: 'awaiting_vendor' } });
    expect(held.body).toMatchObject({ status: 'on_hold', holdReason: 'awaiting_vendor' });
    const resumed = await acme.agent.call<Incident>('POST', `/incidents/${body.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'in_progress', holdReason: null });

    const agentReassign = await acme.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'network-ops' } });
    expect(agentReassign.status).toBe(403);
    const managerReassign = await acme.manager.call<Incident>('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'network-ops' } });
    expect(managerReassign.body).toMatchObject({ status: 'assigned', assignmentGroup: 'network-ops', dispatch: { count: 2, returned: 1 } });

    expect((await acme.agent.call('POST', `/incidents/${body.id}/cancel`, { body: { reason: 'dup' } })).status).toBe(403);
    expect((await acme.requester.call('POST', `/incidents/${body.id}/start`)).status).toBe(403);
    const cancelled = await acme.manager.call<Incident>('POST', `/incidents/${body.id}/cancel`, { body: { reason: 'Duplicate of another incident' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation: { cancelledBy: acme.manager.userId } });
    expect((await acme.agent.call('PATCH', `/incidents/${body.id}`, { body: { title: 'x' } })).status).toBe(409);
  });

  it('edits fields, re-prioritising from the matrix, and finds an incident by number', async () => {
    const { body } = await acme.agent.call<Incident>('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3 }) });
    expect(body.priority).toBe(5);
    const edited = await acme.agent.call<Incident>('PATCH', `/incidents/${body.id}`, { body: { impact: 1, urgency: 1 }, headers: { 'if-match': '"1"' } });
    expect(edited.body).toMatchObject({ priority: 1, version: 2 });
    const byNumber = await acme.agent.call<Incident>('GET', `/incidents/${body.number}`);
    expect(byNumber.body.id).toBe(body.id);
    // Someone else's incident does not exist for a requester; their own they may read but not edit.
    expect((await acme.requester.call('PATCH', `/incidents/${body.id}`, { body: { title: 'mine' } })).status).toBe(404);
    const own = await acme.requester.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    expect((await acme.requester.call('PATCH', `/incidents/${own.body.id}`, { body: { title: 'mine' } })).status).toBe(403);
    expect((await acme.requester.call('GET', `/incidents/${own.body.id}/history`)).status).toBe(403);
  });
});

describe('queues', () => {
  const tenant = actorsOf(newTenant('queue'));
  beforeAll(() => createGroups(tenant, ['dba']));

  it('lists each queue by priority then age, page by page, with one Query per page', async () => {
    // Prepare: 7 incidents across priorities, groups and CIs
    const specs = [
      { impact: 3, urgency: 3, ciId: 'db-1' },
      { impact: 1, urgency: 1, ciId: 'db-1' },
      { impact: 2, urgency: 2 },
      { impact: 1, urgency: 1 },
      { impact: 2, urgency: 3, ciId: 'db-1' },
      { impact: 1, urgency: 2 },
      { impact: 3, urgency: 2 },
    ];
    const created: Incident[] = [];
    for (const spec of specs) created.push((await tenant.requester.call<Incident>('POST', '/incidents', { body: sampleIncident(spec) })).body);
    await tenant.agent.call('POST', `/incidents/${created[0]?.id}/assign`, { body: { assignmentGroup: 'dba', assigneeId: 'dana' } });
    await tenant.agent.call('POST', `/incidents/${created[1]?.id}/assign`, { body: { assignmentGroup: 'dba' } });

    // Act: read the whole tenant queue two at a time
    const seen: Incident[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Incident[]; nextCursor: string | null } } = await tenant.agent.call(
        'GET',
        `/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);

    // Assess: all seven, in priority then creation order
    const expected = [...created].sort((a, b) => a.priority - b.priority || String(a.createdAt).localeCompare(String(b.createdAt)));
    expect(seen.map((item) => item.id)).toEqual(expected.map((item) => item.id));

    const ids = async (query: string) => (await tenant.agent.call<{ items: Incident[] }>('GET', `/incidents?${query}`)).body.items.map((item) => item.id);
    expect(await ids('group=dba')).toEqual([created[1]?.id, created[0]?.id]);
    expect(await ids('assignee=dana')).toEqual([created[0]?.id]);
    expect(await ids('ci=db-1')).toEqual([created[1]?.id, created[4]?.id, created[0]?.id]);
    expect(await ids('priority=1')).toEqual([created[1]?.id, created[3]?.id]);
    expect(await ids('status=assigned')).toEqual([created[1]?.id, created[0]?.id]);
    expect(await ids('status=new&priority=1')).toEqual([created[3]?.id]);
    expect((await ids(`requester=${tenant.requester.userId}`)).length).toBe(7);
  });

  it('gives requesters only their own incidents, whatever they ask for', async () => {
    await tenant.otherRequester.call('POST', '/incidents', { body: sampleIncident() });
    const mine = await tenant.otherRequester.call<{ items: Incident[] }>('GET', `/incidents?requester=${tenant.requester.userId}`);
    expect(mine.body.items.length).toBe(1);
    expect(mine.body.items.every((item) => item.requesterId === tenant.otherRequester.userId)).toBe(true);
  });

  it('refuses two queues at once and a cursor from another queue', async () => {
    const both = await tenant.agent.call('GET', '/incidents?status=new&group=dba');
    expect(both.status).toBe(400);
    const page = await tenant.agent.call<{ nextCursor: string }>('GET', '/incidents?limit=1');
    const foreign = await tenant.agent.call('GET', `/incidents?group=dba&cursor=${page.body.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ errors: [{ field: 'query.cursor' }] });
  });
});
