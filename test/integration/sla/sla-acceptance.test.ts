/**
 * The SLA acceptance scenarios over HTTP, on the local business clock
 * (`POST /local/clock`, forward only, so they run in order in this one
 * file): a P1 created at 17:55 on a Friday under an 08:00–18:00 calendar
 * the tenant counts P1 in is due on Monday, a two-hour pause moves the
 * resolution due time by two business hours, the timeline explains both,
 * and the incident's events reach the local bus in order, stamped with the
 * business time. Under the standard SLA, a P1 raised on Sunday morning
 * counts around the clock and is due an hour later.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { escalationSchedulePrefix } from '#shared/services/sla/escalation-watch.js';
import { actorsOf, createGroups, eventually, localFetch, newTenant, pollUntil, sampleIncident } from '../api-client.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

async function clock(body?: Record<string, unknown>): Promise<{ now: string }> {
  const response = await localFetch('/local/clock', 'clock-mover', body ? { method: 'POST', body: JSON.stringify(body) } : {});
  expect(response.status).toBe(200);
  return (await response.json()) as { now: string };
}

/** The first `weekday` (0 = Sunday) at `hours`:`minutes` UTC at least a day after `after`. */
function next(weekday: number, hours: number, minutes: number, after: Date): Date {
  const day = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate() + 1, hours, minutes));
  while (day.getUTCDay() !== weekday) day.setUTCDate(day.getUTCDate() + 1);
  return day;
}

type Clock = {
  dueAt: string | null;
  calendar: string;
  pausedMs: number;
  state: string;
  timeline: { kind: string; at: string; until?: string; dueAt?: string | null; previousDueAt?: string | null }[];
};
type Sla = { sla: string; clocks: { response: Clock; resolution: Clock } };

describe('SLA acceptance: Friday 17:55, office hours 08–18', () => {
  const tenant = actorsOf(newTenant('acceptance'));
  beforeAll(() => createGroups(tenant, ['desk']));
  const office = { start: '08:00', end: '18:00' };
  const policy = {
    definitions: [
      {
        name: 'Office hours',
        calendar: { timeZone: 'UTC', week: { mon: [office], tue: [office], wed: [office], thu: [office], fri: [office] } },
        // P1 would count 24×7 by default; this tenant's contract counts it in office hours too.
        calendarByPriority: { 1: 'business' },
        metrics: {
          response: {
            targetsMs: { 1: HOUR, 2: 2 * HOUR, 3: 4 * HOUR, 4: 8 * HOUR, 5: 8 * HOUR },
            stopOn: ['in_progress', 'on_hold', 'resolved', 'closed'],
            onReopen: 'stay_stopped',
          },
          resolution: { targetsMs: { 1: 4 * HOUR, 2: 8 * HOUR, 3: 24 * HOUR, 4: 40 * HOUR, 5: 80 * HOUR }, stopOn: ['resolved', 'closed'], onReopen: 'resume' },
        },
      },
    ],
  };

  it('is due Monday 08:55 / 11:55; two hours on hold move resolution to 13:55; events in order', async () => {
    const saved = await tenant.admin.call<{ definitions: { calendarByPriority: unknown }[] }>('PUT', '/settings/sla', { body: policy });
    expect(saved.status).toBe(200);
    expect(saved.body.definitions[0]?.calendarByPriority).toEqual({ 1: 'business', 2: '24x7', 3: 'business', 4: 'business', 5: 'business' });
    const friday = next(5, 17, 55, new Date((await clock()).now));
    const monday = (hours: number, minutes = 0) => new Date(friday.getTime() + 3 * 24 * HOUR - (17 * HOUR + 55 * MINUTE) + hours * HOUR + minutes * MINUTE);
    await clock({ now: friday.toISOString() });

    const created = await tenant.agent.call<{ id: string; priority: number; createdAt: string }>('POST', '/incidents', {
      body: sampleIncident({ impact: 1, urgency: 1 }),
    });
    expect(created.body.priority).toBe(1);
    expect(Date.parse(created.body.createdAt) - friday.getTime()).toBeLessThan(MINUTE);
    const id = created.body.id;
    // Whatever seconds passed since the clock was set, on Friday evening they count before the 18:00 close.
    const drift = Date.parse(created.body.createdAt) - friday.getTime();

    const first = (await tenant.agent.call<Sla>('GET', `/incidents/${id}/sla`)).body;
    expect(first.sla).toBe('Office hours');
    // 5 minutes on Friday, 55 on Monday morning.
    expect(Date.parse(first.clocks.response.dueAt ?? '')).toBe(monday(8, 55).getTime() + drift);
    expect(Date.parse(first.clocks.resolution.dueAt ?? '')).toBe(monday(11, 55).getTime() + drift);
    const skipped = first.clocks.response.timeline.find((entry) => entry.kind === 'closed_hours_skipped');
    expect(skipped).toMatchObject({ at: new Date(friday.getTime() + 5 * MINUTE).toISOString(), until: monday(8).toISOString() });

    await clock({ now: monday(8, 10).toISOString() });
    await tenant.agent.call('POST', `/incidents/${id}/assign`, { body: { assignmentGroup: 'desk' } });
    expect((await tenant.agent.call('POST', `/incidents/${id}/start`)).status).toBe(200);
    await clock({ now: monday(8, 30).toISOString() });
    expect((await tenant.agent.call('POST', `/incidents/${id}/hold`, { body: { reason: 'awaiting_customer' } })).status).toBe(200);
    const held = (await tenant.agent.call<Sla>('GET', `/incidents/${id}/sla`)).body;
    expect(held.clocks.response.state).toBe('met');
    expect(held.clocks.resolution).toMatchObject({ state: 'paused', dueAt: null });

    await clock({ now: monday(10, 30).toISOString() });
    const resumed = await tenant.agent.call<{ version: number }>('POST', `/incidents/${id}/resume`);
    expect(resumed.status).toBe(200);
    const after = (await tenant.agent.call<Sla>('GET', `/incidents/${id}/sla`)).body;
    const resolution = after.clocks.resolution;
    expect(resolution.state).toBe('running');
    // Paused 08:30 → 10:30 (plus the seconds each step took): exactly that much business time later than 11:55.
    expect(Math.abs(resolution.pausedMs - 2 * HOUR)).toBeLessThan(MINUTE);
    expect(Date.parse(resolution.dueAt ?? '') - (monday(11, 55).getTime() + drift)).toBe(resolution.pausedMs);
    const pause = resolution.timeline.find((entry) => entry.kind === 'paused');
    const resume = resolution.timeline.find((entry) => entry.kind === 'resumed');
    expect(pause).toMatchObject({ dueAt: null });
    expect(Date.parse(resume?.dueAt ?? '')).toBe(Date.parse(resolution.dueAt ?? ''));

    const expected = ['IncidentCreated', 'IncidentAssigned', 'IncidentWorkStarted', 'IncidentPutOnHold', 'IncidentResumed'];
    const events = await eventually(tenant.tenantId, (seen) => seen.filter((event) => event.source === 'itsm.incidents').length >= expected.length);
    const incidentEvents = events.filter((event) => event.detail.incidentId === id && event.source === 'itsm.incidents');
    expect(incidentEvents.map((event) => event['detail-type'])).toEqual(expected);
    const stamps = incidentEvents.map((event) => Date.parse(event.detail.occurredAt as string));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps[0] ?? 0).toBeGreaterThanOrEqual(friday.getTime());
    expect(stamps[4] ?? 0).toBeGreaterThanOrEqual(monday(10, 30).getTime());

    // Watched by one one-off schedule, re-armed by each change: after the resume it waits for the
    // resolution's 50 % warning, two business hours (the pause) later than it would have been.
    const prefix = escalationSchedulePrefix(tenant.tenantId, id);
    // 50 % of the 4 h target is 2 h before the moved due time (open hours all the way).
    const fiftyPercent = Date.parse(resolution.dueAt ?? '') - 2 * HOUR;
    const names = await pollUntil(
      async () =>
        ((await (await fetch(`${inject('apiUrl')}/local/scheduler/schedules?NamePrefix=${prefix}`)).json()) as { Schedules: { Name: string }[] }).Schedules.map(
          (schedule) => schedule.Name,
        ),
      (found) => found.length === 1 && Math.abs(Number(found[0]?.slice(prefix.length)) * 1000 - fiftyPercent) < MINUTE,
    );
    expect(names).toHaveLength(1);

    // The clock never goes back.
    const back = await localFetch('/local/clock', 'clock-mover', { method: 'POST', body: JSON.stringify({ now: friday.toISOString() }) });
    expect(back.status).toBe(409);
  });
});

describe('SLA acceptance: an urgent incident on Sunday morning, standard SLA', () => {
  const tenant = actorsOf(newTenant('acceptance-sunday'));

  it('a P1 raised Sunday 09:20 UTC is due for response at 10:20, not Monday; a P3 raised to P1 then is due an hour after the raise', async () => {
    const sunday = next(0, 9, 20, new Date((await clock()).now));
    await clock({ now: sunday.toISOString() });
    const standard = await tenant.agent.call<{ definitions: { calendarByPriority: unknown }[] }>('GET', '/settings/sla');
    expect(standard.body.definitions[0]?.calendarByPriority).toEqual({ 1: '24x7', 2: '24x7', 3: 'business', 4: 'business', 5: 'business' });

    const urgent = await tenant.agent.call<{ id: string; priority: number; createdAt: string }>('POST', '/incidents', {
      body: sampleIncident({ impact: 1, urgency: 1 }),
    });
    expect(urgent.body.priority).toBe(1);
    const drift = Date.parse(urgent.body.createdAt) - sunday.getTime();
    expect(drift).toBeLessThan(MINUTE);
    const sla = (await tenant.agent.call<Sla>('GET', `/incidents/${urgent.body.id}/sla`)).body;
    expect(sla.clocks.response.calendar).toBe('24x7');
    expect(sla.clocks.response.dueAt).toBe(new Date(sunday.getTime() + HOUR + drift).toISOString());
    expect(sla.clocks.resolution.dueAt).toBe(new Date(sunday.getTime() + 4 * HOUR + drift).toISOString());
    expect(sla.clocks.response.timeline.some((entry) => entry.kind === 'closed_hours_skipped')).toBe(false);

    // A P3 waits for Monday 08:00 (4 business hours: 12:00) until it is raised to P1, then counts 24×7 from the raise.
    const minor = await tenant.agent.call<{ id: string; priority: number }>('POST', '/incidents', { body: sampleIncident({ impact: 2, urgency: 2 }) });
    expect(minor.body.priority).toBe(3);
    const monday = (hours: number) => new Date(sunday.getTime() + 24 * HOUR - (9 * HOUR + 20 * MINUTE) + hours * HOUR);
    expect((await tenant.agent.call<Sla>('GET', `/incidents/${minor.body.id}/sla`)).body.clocks.response).toMatchObject({
      calendar: 'business',
      dueAt: monday(12).toISOString(),
    });
    await clock({ advanceMs: 10 * MINUTE });
    const raised = await tenant.agent.call<{ priority: number; updatedAt: string }>('PATCH', `/incidents/${minor.body.id}`, {
      body: { impact: 1, urgency: 1 },
    });
    expect(raised.body.priority).toBe(1);
    const after = (await tenant.agent.call<Sla>('GET', `/incidents/${minor.body.id}/sla`)).body.clocks.response;
    expect(after).toMatchObject({ calendar: '24x7', state: 'running' });
    expect(after.dueAt).toBe(new Date(Date.parse(raised.body.updatedAt) + HOUR).toISOString());
  });
});
