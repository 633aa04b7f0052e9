/**
 * Per-priority calendars (issue 12, item 7): by default P1 and P2 count
 * 24×7 and P3–P5 the business calendar; a tenant may say otherwise per
 * priority. Due times, pauses, breaches and escalation wake-ups all count
 * in the calendar of the priority in force, also across priority changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { addBusinessTime, type BusinessCalendarConfig, businessTimeBetween, isOpen, officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';
import { defaultEscalationPolicy, planEscalations } from '#shared/domain/sla/escalation-policy.js';
import { computeSlaClock, type SlaLedgerEntry, type SlaMetricClock } from '#shared/domain/sla/sla-clock.js';
import {
  AROUND_THE_CLOCK,
  type ClockCalendar,
  DEFAULT_RESOLUTION_TARGETS_MS,
  DEFAULT_RESPONSE_TARGETS_MS,
  defaultSlaDefinition,
  type SlaDefinition,
  slaDefinitionSchema,
  withCalendarDefaults,
} from '#shared/domain/sla/sla-definition.js';
import { decideEscalation } from '#shared/domain/sla/sla-escalation.js';
import { IRREGULAR_CALENDAR } from '../../../support/calendars.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const office = officeHoursCalendar('UTC');
/** The seed SLA: office hours Mon–Fri 08:00–18:00 UTC, P1 and P2 around the clock. */
const seed = defaultSlaDefinition(office);
const withCalendars = (calendars: Partial<Record<Priority, ClockCalendar>>): SlaDefinition => ({
  ...seed,
  calendarByPriority: { ...seed.calendarByPriority, ...calendars },
});

const at = (iso: string) => new Date(iso);
// 2024-01-06 is a Saturday, 2024-01-07 a Sunday, 2024-01-08 a Monday.
const SUNDAY_0920 = '2024-01-07T09:20:00Z';

function clocksOf(definition: SlaDefinition, entries: readonly SlaLedgerEntry[], now: string) {
  const clocks = computeSlaClock(definition, entries, at(now));
  return { response: clocks.response as SlaMetricClock, resolution: clocks.resolution as SlaMetricClock };
}

describe('calendar per priority: the table', () => {
  it.each([
    {
      name: 'P1 on Sunday 09:20 counts 24×7: response due 10:20, resolution 13:20',
      definition: seed,
      priority: 1,
      response: '2024-01-07T10:20:00.000Z',
      resolution: '2024-01-07T13:20:00.000Z',
      calendar: '24x7',
    },
    {
      name: 'P2 on Sunday counts 24×7 by default',
      definition: seed,
      priority: 2,
      response: '2024-01-07T11:20:00.000Z',
      resolution: '2024-01-07T17:20:00.000Z',
      calendar: '24x7',
    },
    {
      name: 'P3 on Sunday waits for Monday 08:00',
      definition: seed,
      priority: 3,
      response: '2024-01-08T12:00:00.000Z',
      resolution: '2024-01-10T12:00:00.000Z',
      calendar: 'business',
    },
    {
      name: 'P2 when the tenant says business',
      definition: withCalendars({ 2: 'business' }),
      priority: 2,
      response: '2024-01-08T10:00:00.000Z',
      resolution: '2024-01-08T16:00:00.000Z',
      calendar: 'business',
    },
    {
      name: 'P1 when the tenant says business',
      definition: withCalendars({ 1: 'business' }),
      priority: 1,
      response: '2024-01-08T09:00:00.000Z',
      resolution: '2024-01-08T12:00:00.000Z',
      calendar: 'business',
    },
    {
      name: 'P4 when the tenant says 24×7',
      definition: withCalendars({ 4: '24x7' }),
      priority: 4,
      response: '2024-01-07T17:20:00.000Z',
      resolution: '2024-01-09T01:20:00.000Z',
      calendar: '24x7',
    },
  ] as const)('$name', ({ definition, priority, response, resolution, calendar }) => {
    const clocks = clocksOf(definition, [{ at: at(SUNDAY_0920), status: 'new', priority }], '2024-01-07T09:21:00Z');
    expect(clocks.response.dueAt?.toISOString()).toBe(response);
    expect(clocks.resolution.dueAt?.toISOString()).toBe(resolution);
    expect(clocks.response.calendar).toBe(calendar);
    // A 24×7 clock skips no closed hours on its way to the due time.
    expect(clocks.response.timeline.some((entry) => entry.kind === 'closed_hours_skipped')).toBe(calendar === 'business');
  });

  it('a P1 raised on Sunday breaches its response at 10:20 Sunday, not on Monday', () => {
    const clocks = clocksOf(seed, [{ at: at(SUNDAY_0920), status: 'new', priority: 1 }], '2024-01-07T10:30:00Z');
    expect(clocks.response).toMatchObject({ state: 'breached', elapsedBusinessMs: 70 * MINUTE });
    expect(clocks.response.breachedAt?.toISOString()).toBe('2024-01-07T10:20:00.000Z');
    expect(clocks.response.thresholdsAt.map((reach) => reach.at?.toISOString())).toEqual([
      '2024-01-07T09:50:00.000Z',
      '2024-01-07T10:05:00.000Z',
      '2024-01-07T10:20:00.000Z',
    ]);
  });

  it('raising P3 to P1 on Saturday: business time before the raise, 24×7 after it', () => {
    // Created Friday 17:00 as P3 (1 business hour until 18:00), raised to P1 on Saturday 10:00.
    const entries: SlaLedgerEntry[] = [
      { at: at('2024-01-05T17:00:00Z'), status: 'new', priority: 3 },
      { at: at('2024-01-06T10:00:00Z'), status: 'new', priority: 1 },
    ];
    const clocks = clocksOf(seed, entries, '2024-01-06T10:30:00Z');
    // Response: 1 h elapsed at the raise meets the 1 h P1 target: breached at the raise.
    expect(clocks.response.breachedAt?.toISOString()).toBe('2024-01-06T10:00:00.000Z');
    // Resolution: 1 h of P3 business time, then 30 min of P1 around the clock; 2.5 h left of the 4 h P1 target.
    expect(clocks.resolution).toMatchObject({ priority: 1, calendar: '24x7', elapsedBusinessMs: 90 * MINUTE, state: 'running' });
    expect(clocks.resolution.dueAt?.toISOString()).toBe('2024-01-06T13:00:00.000Z');
    expect(clocks.resolution.timeline.find((entry) => entry.kind === 'priority_changed')).toMatchObject({
      previousCalendar: 'business',
      calendar: '24x7',
      previousDueAt: at('2024-01-10T11:00:00Z'),
      dueAt: at('2024-01-06T13:00:00Z'),
    });
  });

  it('lowering P1 to P3 on Saturday: the 24×7 time stays elapsed, the rest waits for Monday', () => {
    const entries: SlaLedgerEntry[] = [
      { at: at('2024-01-06T10:00:00Z'), status: 'new', priority: 1 },
      { at: at('2024-01-06T10:30:00Z'), status: 'new', priority: 3 },
    ];
    const clocks = clocksOf(seed, entries, '2024-01-06T12:00:00Z');
    expect(clocks.resolution).toMatchObject({ priority: 3, calendar: 'business', elapsedBusinessMs: 30 * MINUTE });
    // 23.5 business hours from Monday 08:00: 10 on Monday, 10 on Tuesday, 3.5 on Wednesday.
    expect(clocks.resolution.dueAt?.toISOString()).toBe('2024-01-10T11:30:00.000Z');
    expect(clocks.response.dueAt?.toISOString()).toBe('2024-01-08T11:30:00.000Z');
  });

  it('a P1 paused over the weekend pauses around the clock too', () => {
    const entries: SlaLedgerEntry[] = [
      { at: at('2024-01-06T10:00:00Z'), status: 'new', priority: 1 },
      { at: at('2024-01-06T10:00:00Z'), status: 'in_progress', priority: 1 },
      { at: at('2024-01-06T10:30:00Z'), status: 'on_hold', holdReason: 'awaiting_customer', priority: 1 },
    ];
    const paused = clocksOf(seed, entries, '2024-01-06T12:30:00Z').resolution;
    expect(paused).toMatchObject({ mode: 'paused', pausedMs: 2 * HOUR, dueAt: null });
    const resumed = clocksOf(seed, [...entries, { at: at('2024-01-06T12:30:00Z'), status: 'in_progress', priority: 1 }], '2024-01-06T12:31:00Z').resolution;
    expect(resumed.dueAt?.toISOString()).toBe('2024-01-06T16:00:00.000Z');
  });

  it('the escalation workflow wakes at the 24×7 thresholds and escalates a late P1 response on Sunday', () => {
    const entries: SlaLedgerEntry[] = [{ at: at(SUNDAY_0920), status: 'new', priority: 1 }];
    const early = computeSlaClock(seed, entries, at('2024-01-07T09:21:00Z'));
    expect(decideEscalation(early, new Set(), office, at('2024-01-07T09:21:00Z')).next).toEqual({
      action: 'wait',
      waitUntil: at('2024-01-07T09:50:00Z'),
      reason: 'threshold',
    });
    const plan = planEscalations(defaultEscalationPolicy(), early, new Set(), office, at('2024-01-07T09:21:00Z'));
    expect(plan.nextAt?.toISOString()).toBe('2024-01-07T10:20:00.000Z');

    const late = computeSlaClock(seed, entries, at('2024-01-07T10:21:00Z'));
    const decision = decideEscalation(late, new Set(), office, at('2024-01-07T10:21:00Z'));
    expect(decision.announce).toMatchObject([{ metric: 'response', kind: 'breach', reachedAt: at('2024-01-07T10:20:00Z') }]);
    const due = planEscalations(defaultEscalationPolicy(), late, new Set(), office, at('2024-01-07T10:21:00Z')).due;
    expect(due.map((step) => step.level.name)).toEqual(['Response late: duty manager']);
  });

  it("quiet hours in the SLA's calendar follow the clock: a P3 the tenant counts 24×7 is escalated on Sunday", () => {
    const allDayP3 = withCalendars({ 3: '24x7' });
    const entries: SlaLedgerEntry[] = [{ at: at('2024-01-07T01:00:00Z'), status: 'new', priority: 3 }];
    const now = at('2024-01-07T05:01:00Z');
    const plan = planEscalations(defaultEscalationPolicy(), computeSlaClock(allDayP3, entries, now), new Set(), office, now);
    expect(plan.due.map((step) => step.level.name)).toEqual(['Response late: duty manager']);
    expect(plan.deferred).toEqual([]);
  });

  it('a paused P1 is re-checked after 8 h around the clock, a paused P3 after 8 business hours', () => {
    const hold = (priority: Priority): SlaLedgerEntry[] => [
      { at: at('2024-01-06T10:00:00Z'), status: 'new', priority },
      { at: at('2024-01-06T10:00:00Z'), status: 'in_progress', priority },
      { at: at('2024-01-06T10:30:00Z'), status: 'on_hold', holdReason: 'awaiting_vendor', priority },
    ];
    const now = at('2024-01-06T11:00:00Z');
    expect(decideEscalation(computeSlaClock(seed, hold(1), now), new Set(), office, now).next).toMatchObject({ waitUntil: at('2024-01-06T19:00:00Z') });
    expect(decideEscalation(computeSlaClock(seed, hold(3), now), new Set(), office, now).next).toMatchObject({ waitUntil: at('2024-01-08T16:00:00Z') });
  });
});

describe('calendar per priority: the setting', () => {
  const minimal = {
    name: 'Minimal',
    calendar: office,
    metrics: { response: { targetsMs: DEFAULT_RESPONSE_TARGETS_MS, stopOn: ['in_progress'], onReopen: 'stay_stopped' } },
  };

  it('defaults to P1 and P2 24×7, P3–P5 business; a tenant names only the priorities that differ', () => {
    expect(slaDefinitionSchema.parse(minimal).calendarByPriority).toEqual({ 1: '24x7', 2: '24x7', 3: 'business', 4: 'business', 5: 'business' });
    expect(slaDefinitionSchema.parse({ ...minimal, calendarByPriority: { 2: 'business' } }).calendarByPriority).toEqual({
      1: '24x7',
      2: 'business',
      3: 'business',
      4: 'business',
      5: 'business',
    });
  });

  it.each([
    { name: 'an unknown calendar', calendarByPriority: { 1: 'weekdays' } },
    { name: 'an unknown priority', calendarByPriority: { 6: '24x7' } },
  ])('rejects $name', ({ calendarByPriority }) => {
    expect(slaDefinitionSchema.safeParse({ ...minimal, calendarByPriority }).success).toBe(false);
  });

  it('reads a definition stored before the setting with the defaults, and keeps what one stored', () => {
    const { calendarByPriority: _, ...stored } = seed;
    expect(withCalendarDefaults(stored).calendarByPriority).toEqual(seed.calendarByPriority);
    expect(withCalendarDefaults({ ...stored, calendarByPriority: { 1: 'business' } }).calendarByPriority[1]).toBe('business');
  });
});

// ---------------------------------------------------------------------------
// Properties

const BUSINESS_CALENDARS: readonly BusinessCalendarConfig[] = [
  office,
  officeHoursCalendar('Europe/Paris'),
  officeHoursCalendar('America/New_York'),
  IRREGULAR_CALENDAR,
];
const PRIORITIES: readonly Priority[] = [1, 2, 3, 4, 5];
const start = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 11, 1) });

describe('calendar per priority: properties', () => {
  it('24×7: due = start + target exactly, for any start and whatever the business calendar', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUSINESS_CALENDARS), start, fc.constantFrom<Priority>(1, 2), (calendar, created, priority) => {
        const clocks = computeSlaClock(defaultSlaDefinition(calendar), [{ at: new Date(created), status: 'new', priority }], new Date(created));
        expect(clocks.response?.dueAt?.getTime()).toBe(created + DEFAULT_RESPONSE_TARGETS_MS[priority]);
        expect(clocks.resolution?.dueAt?.getTime()).toBe(created + DEFAULT_RESOLUTION_TARGETS_MS[priority]);
      }),
      { numRuns: 200 },
    );
  });

  it('business: the due time never falls outside business hours (the instant before it is open)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BUSINESS_CALENDARS), start, fc.constantFrom<Priority>(3, 4, 5), (calendar, created, priority) => {
        const clocks = computeSlaClock(defaultSlaDefinition(calendar), [{ at: new Date(created), status: 'new', priority }], new Date(created));
        for (const clock of [clocks.response, clocks.resolution]) {
          const due = clock?.dueAt as Date;
          expect(due.getTime()).toBeGreaterThan(created);
          expect(isOpen(calendar, new Date(due.getTime() - 1))).toBe(true);
          expect(businessTimeBetween(calendar, new Date(created), due)).toBe(clock?.targetMs);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('across priority changes, elapsed is the sum of each stretch counted in its own priority’s calendar, and the due time is projected in the last one', () => {
    const moves = fc.array(fc.record({ gapMinutes: fc.integer({ min: 1, max: 36 * 60 }), priority: fc.constantFrom(...PRIORITIES) }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.constantFrom(...BUSINESS_CALENDARS), start, fc.constantFrom(...PRIORITIES), moves, (calendar, created, first, changes) => {
        const definition = defaultSlaDefinition(calendar);
        const counting = (priority: Priority) => (definition.calendarByPriority[priority] === '24x7' ? AROUND_THE_CLOCK : calendar);
        const entries: SlaLedgerEntry[] = [{ at: new Date(created), status: 'new', priority: first }];
        let t = created;
        for (const change of changes) {
          t += change.gapMinutes * MINUTE;
          entries.push({ at: new Date(t), status: 'new', priority: change.priority });
        }
        const now = t + HOUR;
        let expected = 0;
        entries.forEach((entry, i) => {
          const until = entries[i + 1]?.at.getTime() ?? now;
          expected += businessTimeBetween(counting(entry.priority), entry.at, new Date(until));
        });
        const clock = computeSlaClock(definition, entries, new Date(now)).resolution as SlaMetricClock;
        const last = (entries[entries.length - 1] as SlaLedgerEntry).priority;
        expect(clock.elapsedBusinessMs).toBe(expected);
        expect(clock.calendar).toBe(definition.calendarByPriority[last]);
        if (clock.remainingMs > 0) expect(clock.dueAt?.toISOString()).toBe(addBusinessTime(counting(last), new Date(now), clock.remainingMs).toISOString());
      }),
      { numRuns: 150 },
    );
  });
});
