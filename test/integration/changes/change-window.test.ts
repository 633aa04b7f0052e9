/**
 * Change windows over HTTP (issue 12, item 8): a window in the past is
 * refused at create and at submit with a 422 naming the field, judged on
 * the stack's business clock; an emergency change recorded retrospectively
 * is accepted, audited and shown on the record.
 */
import { describe, expect, it } from 'vitest';
import { actorsOf, localFetch, newTenant, stackNow } from '../api-client.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

type Change = { id: string; status: string; retrospective: boolean; plannedStart: string; version: number };
type Problem = { status: number; type: string; detail: string; field?: string; fields?: string[] };

function change(type: 'normal' | 'emergency', start: number, end: number, extra: Record<string, unknown> = {}) {
  return {
    type,
    title: 'Replace the failed disk of db-07',
    description: 'The RAID set lost a member.',
    justification: 'Redundancy restored.',
    category: 'hardware',
    implementationPlan: 'Hot-swap the disk, rebuild.',
    testPlan: 'RAID status optimal.',
    backoutPlan: 'None needed: the set is degraded already.',
    ciIds: ['db-07'],
    plannedStart: iso(start),
    plannedEnd: iso(end),
    ...extra,
  };
}

describe('change windows', () => {
  const acme = actorsOf(newTenant('chg-window'));

  it('create refuses a window that has begun or ended with 422 naming plannedStart, and one ending before it starts naming plannedEnd', async () => {
    const now = (await stackNow()).getTime();
    const begun = await acme.agent.call<Problem>('POST', '/changes', { body: change('normal', now - HOUR, now + HOUR) });
    expect(begun.status).toBe(422);
    expect(begun.headers.get('content-type')).toContain('application/problem+json');
    expect(begun.body).toMatchObject({ status: 422, field: 'plannedStart' });

    const past = await acme.agent.call<Problem>('POST', '/changes', { body: change('emergency', now - 3 * HOUR, now - 2 * HOUR) });
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ field: 'plannedStart', fields: ['plannedStart', 'plannedEnd'] });
    expect(past.body.detail).toContain('retrospective: true');

    const backwards = await acme.agent.call<Problem>('POST', '/changes', { body: change('normal', now + 2 * HOUR, now + HOUR) });
    expect(backwards).toMatchObject({ status: 422, body: { field: 'plannedEnd' } });

    // Nothing was written: the tenant has no change.
    expect((await acme.agent.call<{ items: unknown[] }>('GET', '/changes')).body.items).toEqual([]);
  });

  it('a retrospective emergency change in the past is accepted, shown on the record, audited, and submitted; a retrospective normal change is refused', async () => {
    const now = (await stackNow()).getTime();
    const created = await acme.agent.call<Change>('POST', '/changes', {
      body: change('emergency', now - 3 * HOUR, now - 2 * HOUR, { retrospective: true, ciIds: ['db-08'] }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ retrospective: true, status: 'new', plannedStart: iso(now - 3 * HOUR) });
    expect((await acme.agent.call<Change>('GET', `/changes/${created.body.id}`)).body.retrospective).toBe(true);

    const submitted = await acme.agent.call<Change>('POST', `/changes/${created.body.id}/submit`, { headers: { 'if-match': '"1"' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('authorise');

    const history = await acme.agent.call<{ items: { action: string; facts: Record<string, unknown> }[] }>('GET', `/changes/${created.body.id}/history`);
    const facts = Object.fromEntries(history.body.items.map((entry) => [entry.action, entry.facts]));
    expect(facts.create).toMatchObject({ retrospective: true });
    expect(facts.submit).toMatchObject({ retrospective: true });

    const normal = await acme.agent.call<Problem>('POST', '/changes', { body: change('normal', now - 3 * HOUR, now - 2 * HOUR, { retrospective: true }) });
    expect(normal).toMatchObject({ status: 422, body: { field: 'retrospective' } });
    const ahead = await acme.agent.call<Problem>('POST', '/changes', { body: change('emergency', now + HOUR, now + 2 * HOUR, { retrospective: true }) });
    expect(ahead).toMatchObject({ status: 422, body: { field: 'plannedStart' } });

    const planned = await acme.agent.call<Change>('POST', '/changes', { body: change('normal', now + HOUR, now + 2 * HOUR, { ciIds: ['db-09'] }) });
    expect(planned).toMatchObject({ status: 201, body: { retrospective: false } });
  });

  it('submit refuses a change whose window began while it waited, by the business clock, and leaves it unchanged', async () => {
    // 50 s ago is still "now" (a minute of grace for clock skew and transit).
    const now = (await stackNow()).getTime();
    const created = await acme.agent.call<Change>('POST', '/changes', { body: change('normal', now - 50_000, now + HOUR, { ciIds: ['db-10'] }) });
    expect(created.status).toBe(201);
    // Fifteen seconds later on the local business clock (not on the system clock: only the business clock says the grace is over).
    // A small step, so concurrent tests that measure business time are not disturbed.
    const moved = await localFetch('/local/clock', acme.tenantId, { method: 'POST', body: JSON.stringify({ advanceMs: 15_000 }) });
    expect(moved.status).toBe(200);
    const refused = await acme.agent.call<Problem>('POST', `/changes/${created.body.id}/submit`, { headers: { 'if-match': '"1"' } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ field: 'plannedStart' });
    expect((await acme.agent.call<Change>('GET', `/changes/${created.body.id}`)).body).toMatchObject({ status: 'new', version: 1 });
  });
});
