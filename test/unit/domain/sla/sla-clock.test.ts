import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnprocessableError } from '#shared/domain/errors.js';
import { allowedActions, HOLD_REASONS, type HoldReason, type IncidentStatus, nextStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import {
  addBusinessTime,
  type BusinessCalendarConfig,
  businessCalendarSchema,
  businessTimeBetween,
  officeHoursCalendar,
} from '#shared/domain/sla/business-calendar.js';
import { computeSlaClock, type SlaLedgerEntry, type SlaMetricClock, type SlaTimelineEntry, slaLedgerEntrySchema } from '#shared/domain/sla/sla-clock.js';
import {
  DEFAULT_RESOLUTION_TARGETS_MS,
  DEFAULT_RESPONSE_TARGETS_MS,
  defaultSlaDefinition,
  type SlaDefinition,
  type SlaMetric,
  slaDefinitionSchema,
} from '#shared/domain/sla/sla-definition.js';
import { IRREGULAR_CALENDAR } from '../../../support/calendars.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const calendar247 = businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true });
/** 24×7 keeps the arithmetic of the table readable: business hours are wall hours. */
const sla247 = defaultSlaDefinition(calendar247);
const parisOffice = officeHoursCalendar('Europe/Paris');
/** Every priority in business hours: the tables and properties below are about the calendar arithmetic, not the 24×7 default of P1 and P2. */
const inBusinessHours = (definition: SlaDefinition): SlaDefinition => ({
  ...definition,
  calendarByPriority: { 1: 'business', 2: 'business', 3: 'business', 4: 'business', 5: 'business' },
});
const slaParis = inBusinessHours(defaultSlaDefinition(parisOffice));

/** Monday 2024-01-01 00:00 UTC; the tables count hours from it. */
const T0 = Date.UTC(2024, 0, 1);
const h = (hours: number) => new Date(T0 + hours * HOUR);

/** One ledger line; status, priority and hold reason carry over from the previous line when omitted. */
interface Line {
  readonly at: number;
  readonly status?: IncidentStatus;
  readonly hold?: HoldReason;
  readonly p?: Priority;
}

function ledger(lines: readonly Line[], start: (hours: number) => Date = h): SlaLedgerEntry[] {
  let status: IncidentStatus = 'new';
  let priority: Priority = 3;
  let holdReason: HoldReason | null = null;
  return lines.map((line) => {
    status = line.status ?? status;
    priority = line.p ?? priority;
    holdReason = status === 'on_hold' ? (line.hold ?? holdReason) : null;
    return { at: start(line.at), status, priority, holdReason };
  });
}

function clockOf(definition: SlaDefinition, lines: readonly Line[], nowHours: number, metric: SlaMetric = 'resolution'): SlaMetricClock {
  const clock = computeSlaClock(definition, ledger(lines), h(nowHours))[metric];
  if (!clock) throw new Error(`No ${metric} clock.`);
  return clock;
}

const hoursOf = (date: Date | null) => (date === null ? null : (date.getTime() - T0) / HOUR);
const kinds = (timeline: readonly SlaTimelineEntry[]) => timeline.filter((entry) => entry.kind !== 'closed_hours_skipped').map((entry) => entry.kind);

interface Case {
  readonly name: string;
  readonly metric?: SlaMetric;
  readonly lines: readonly Line[];
  readonly now: number;
  readonly state: SlaMetricClock['state'];
  readonly elapsed: number;
  readonly paused: number;
  readonly target: number;
  readonly due: number | null;
  readonly breachedAt?: number | null;
}

/** P3 unless said otherwise: response 4 h, resolution 24 h; P1 4 h resolution; P2 8 h; P4 40 h. */
const CASES: readonly Case[] = [
  // Resolution: pause and resume.
  { name: 'running, nothing happened', lines: [{ at: 0 }], now: 2, state: 'running', elapsed: 2, paused: 0, target: 24, due: 24 },
  {
    name: 'pause and resume moves the due time by the pause',
    lines: [
      { at: 0 },
      { at: 0.5, status: 'assigned' },
      { at: 1, status: 'in_progress' },
      { at: 2, status: 'on_hold', hold: 'awaiting_customer' },
      { at: 5, status: 'in_progress' },
    ],
    now: 6,
    state: 'running',
    elapsed: 3,
    paused: 3,
    target: 24,
    due: 27,
  },
  {
    name: 'paused now: no due time until it resumes',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_vendor' }],
    now: 6,
    state: 'paused',
    elapsed: 2,
    paused: 4,
    target: 24,
    due: null,
  },
  {
    name: 'paused across the breach threshold: not breached',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 3, status: 'on_hold', hold: 'awaiting_customer' },
    ],
    now: 10,
    state: 'paused',
    elapsed: 3,
    paused: 7,
    target: 4,
    due: null,
    breachedAt: null,
  },
  {
    name: 'paused across the breach threshold, then resumed: due an hour after the resume',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 3, status: 'on_hold', hold: 'awaiting_customer' },
      { at: 10, status: 'in_progress' },
    ],
    now: 10.5,
    state: 'running',
    elapsed: 3.5,
    paused: 7,
    target: 4,
    due: 11,
  },
  {
    name: 'breached, then paused: still breached',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 5, status: 'on_hold', hold: 'awaiting_customer' },
    ],
    now: 8,
    state: 'breached',
    elapsed: 5,
    paused: 3,
    target: 4,
    due: 4,
    breachedAt: 4,
  },
  {
    name: 'two pauses add up',
    lines: [
      { at: 0 },
      { at: 1, status: 'in_progress' },
      { at: 2, status: 'on_hold', hold: 'awaiting_customer' },
      { at: 3, status: 'in_progress' },
      { at: 5, status: 'on_hold', hold: 'awaiting_vendor' },
      { at: 7, status: 'in_progress' },
    ],
    now: 8,
    state: 'running',
    elapsed: 5,
    paused: 3,
    target: 24,
    due: 27,
  },
  {
    name: 'hold reason changes from customer to vendor: one continuous pause',
    lines: [
      { at: 0 },
      { at: 1, status: 'in_progress' },
      { at: 2, status: 'on_hold', hold: 'awaiting_customer' },
      { at: 3, hold: 'awaiting_vendor' },
      { at: 4, status: 'in_progress' },
    ],
    now: 5,
    state: 'running',
    elapsed: 3,
    paused: 2,
    target: 24,
    due: 26,
  },
  {
    name: 'awaiting change does not pause',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_change' }],
    now: 5,
    state: 'running',
    elapsed: 5,
    paused: 0,
    target: 24,
    due: 24,
  },
  {
    name: 'hold reason changes from customer to change: the clock resumes',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }, { at: 3, hold: 'awaiting_change' }],
    now: 5,
    state: 'running',
    elapsed: 4,
    paused: 1,
    target: 24,
    due: 25,
  },
  // Resolution: stop, reopen, cancel.
  {
    name: 'resolved while paused: met, due time as if it had run on',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }, { at: 4, status: 'resolved' }],
    now: 10,
    state: 'met',
    elapsed: 2,
    paused: 2,
    target: 24,
    due: 26,
  },
  {
    name: 'resolved in time, then closed',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 5, status: 'resolved' }, { at: 6, status: 'closed' }],
    now: 30,
    state: 'met',
    elapsed: 5,
    paused: 0,
    target: 24,
    due: 24,
  },
  {
    name: 'resolved late: breached',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 6, status: 'resolved' },
    ],
    now: 7,
    state: 'breached',
    elapsed: 6,
    paused: 0,
    target: 4,
    due: 4,
    breachedAt: 4,
  },
  {
    name: 'resolved exactly at the due time: breached (due means before)',
    lines: [
      { at: 0, p: 1 },
      { at: 4, status: 'resolved' },
    ],
    now: 5,
    state: 'breached',
    elapsed: 4,
    paused: 0,
    target: 4,
    due: 4,
    breachedAt: 4,
  },
  {
    name: 'reopened: resumes with the elapsed time kept; time resolved does not count',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 5, status: 'resolved' }, { at: 8, status: 'in_progress' }],
    now: 9,
    state: 'running',
    elapsed: 6,
    paused: 0,
    target: 24,
    due: 27,
  },
  {
    name: 'reopened after a late resolution, resolved again: still breached',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 6, status: 'resolved' },
      { at: 7, status: 'in_progress' },
      { at: 8, status: 'resolved' },
    ],
    now: 9,
    state: 'breached',
    elapsed: 7,
    paused: 0,
    target: 4,
    due: 4,
    breachedAt: 4,
  },
  {
    name: 'cancelled',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 3, status: 'cancelled' }],
    now: 10,
    state: 'cancelled',
    elapsed: 3,
    paused: 0,
    target: 24,
    due: 24,
  },
  {
    name: 'cancelled while paused',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }, { at: 4, status: 'cancelled' }],
    now: 10,
    state: 'cancelled',
    elapsed: 2,
    paused: 2,
    target: 24,
    due: 26,
  },
  // Resolution: priority changes apply the new target to the whole elapsed time.
  {
    name: 'priority raised mid-way: P4 → P2 after 2 h',
    lines: [
      { at: 0, p: 4 },
      { at: 1, status: 'in_progress' },
      { at: 2, p: 2 },
    ],
    now: 3,
    state: 'running',
    elapsed: 3,
    paused: 0,
    target: 8,
    due: 8,
  },
  {
    name: 'priority raised past the new target: breached at the raise, due in the past',
    lines: [
      { at: 0, p: 4 },
      { at: 1, status: 'in_progress' },
      { at: 6, p: 1 },
    ],
    now: 7,
    state: 'breached',
    elapsed: 7,
    paused: 0,
    target: 4,
    due: 4,
    breachedAt: 6,
  },
  {
    name: 'priority lowered mid-way: P1 → P3',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 2, p: 3 },
    ],
    now: 5,
    state: 'running',
    elapsed: 5,
    paused: 0,
    target: 24,
    due: 24,
  },
  {
    name: 'priority lowered after the breach: no longer breached',
    lines: [
      { at: 0, p: 1 },
      { at: 1, status: 'in_progress' },
      { at: 6, p: 4 },
    ],
    now: 7,
    state: 'running',
    elapsed: 7,
    paused: 0,
    target: 40,
    due: 40,
    breachedAt: null,
  },
  {
    name: 'priority changed while paused: the new target applies from the resume',
    lines: [{ at: 0 }, { at: 1, status: 'on_hold', hold: 'awaiting_customer' }, { at: 2, p: 2 }, { at: 3, status: 'in_progress' }],
    now: 4,
    state: 'running',
    elapsed: 2,
    paused: 2,
    target: 8,
    due: 10,
  },
  {
    name: 'priority changed after resolution: the stopped clock keeps its target',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'resolved' }, { at: 3, p: 1 }],
    now: 4,
    state: 'met',
    elapsed: 2,
    paused: 0,
    target: 24,
    due: 24,
  },
  // Response: met when the incident is worked, not when it is dispatched.
  {
    name: 'response: assignment is not a response',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }],
    now: 3,
    state: 'running',
    elapsed: 3,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: starting work is the response',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }, { at: 2, status: 'in_progress' }],
    now: 9,
    state: 'met',
    elapsed: 2,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: putting on hold from assigned is a response (stop wins over pause)',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }],
    now: 9,
    state: 'met',
    elapsed: 2,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: resolving straight from assigned is a response',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }, { at: 1.5, status: 'resolved' }],
    now: 9,
    state: 'met',
    elapsed: 1.5,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: a late start breaches',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }, { at: 5, status: 'in_progress' }],
    now: 9,
    state: 'breached',
    elapsed: 5,
    paused: 0,
    target: 4,
    due: 4,
    breachedAt: 4,
  },
  {
    name: 'response: reassignment after the response keeps it met',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'assigned' }, { at: 2, status: 'in_progress' }, { at: 3, status: 'assigned' }, { at: 6, status: 'in_progress' }],
    now: 9,
    state: 'met',
    elapsed: 2,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: reopening does not restart it',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'resolved' }, { at: 3, status: 'in_progress' }],
    now: 9,
    state: 'met',
    elapsed: 1,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: cancelled before a response',
    metric: 'response',
    lines: [{ at: 0 }, { at: 2, status: 'cancelled' }],
    now: 9,
    state: 'cancelled',
    elapsed: 2,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: cancelled after the response stays met',
    metric: 'response',
    lines: [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'cancelled' }],
    now: 9,
    state: 'met',
    elapsed: 1,
    paused: 0,
    target: 4,
    due: 4,
  },
  {
    name: 'response: priority raised before the response',
    metric: 'response',
    lines: [
      { at: 0, p: 4 },
      { at: 0.5, p: 1 },
    ],
    now: 0.75,
    state: 'running',
    elapsed: 0.75,
    paused: 0,
    target: 1,
    due: 1,
  },
];

describe('SLA clock, every pause / resume / stop case (24×7 UTC)', () => {
  it.each(CASES)('$name', ({ metric = 'resolution', lines, now, state, elapsed, paused, target, due, breachedAt }) => {
    const clock = clockOf(sla247, lines, now, metric);
    expect({
      state: clock.state,
      elapsed: clock.elapsedBusinessMs / HOUR,
      paused: clock.pausedMs / HOUR,
      target: clock.targetMs / HOUR,
      due: hoursOf(clock.dueAt),
      remaining: clock.remainingMs / HOUR,
      percent: clock.percent,
    }).toEqual({ state, elapsed, paused, target, due, remaining: target - elapsed, percent: (elapsed / target) * 100 });
    if (breachedAt !== undefined) expect(hoursOf(clock.breachedAt)).toBe(breachedAt);
    if (state === 'breached') expect(clock.breachedAt).not.toBeNull();
  });
});

describe('SLA clock details', () => {
  it('restarts the resolution clock on reopen when the definition says so', () => {
    const restart: SlaDefinition = {
      ...sla247,
      metrics: { ...sla247.metrics, resolution: { targetsMs: { ...DEFAULT_RESOLUTION_TARGETS_MS }, stopOn: ['resolved', 'closed'], onReopen: 'restart' } },
    };
    const clock = clockOf(restart, [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 5, status: 'resolved' }, { at: 8, status: 'in_progress' }], 9);
    expect({ state: clock.state, elapsed: clock.elapsedBusinessMs / HOUR, started: hoursOf(clock.startedAt), due: hoursOf(clock.dueAt) }).toEqual({
      state: 'running',
      elapsed: 1,
      started: 8,
      due: 32,
    });
    expect(kinds(clock.timeline)).toEqual(['started', 'met', 'restarted']);
  });

  it('reports when each threshold was or will be reached', () => {
    const clock = clockOf(sla247, [{ at: 0 }, { at: 1, status: 'in_progress' }], 13);
    expect(clock.thresholdsAt.map(({ fraction, kind, reached, at }) => ({ fraction, kind, reached, at: hoursOf(at) }))).toEqual([
      { fraction: 0.5, kind: 'warning', reached: true, at: 12 },
      { fraction: 0.75, kind: 'warning', reached: false, at: 18 },
      { fraction: 1, kind: 'breach', reached: false, at: 24 },
    ]);
  });

  it('has nothing to wait for while paused, and nothing after the stop', () => {
    const paused = clockOf(sla247, [{ at: 0 }, { at: 13, status: 'on_hold', hold: 'awaiting_customer' }], 14);
    expect(paused.thresholdsAt.map((t) => hoursOf(t.at))).toEqual([12, null, null]);
    const met = clockOf(sla247, [{ at: 0 }, { at: 13, status: 'resolved' }], 14);
    expect(met.thresholdsAt.map((t) => hoursOf(t.at))).toEqual([12, null, null]);
  });

  it('a priority raise reaches the thresholds it jumps over at the raise (3 h elapsed against 4 h)', () => {
    const clock = clockOf(
      sla247,
      [
        { at: 0, p: 4 },
        { at: 1, status: 'in_progress' },
        { at: 3, p: 1 },
      ],
      3.5,
    );
    expect(clock.thresholdsAt.map((t) => [t.reached, hoursOf(t.at)])).toEqual([
      [true, 3],
      [true, 3],
      [false, 4],
    ]);
  });

  it('a priority lowering un-reaches the thresholds the new target is below', () => {
    const clock = clockOf(
      sla247,
      [
        { at: 0, p: 1 },
        { at: 1, status: 'in_progress' },
        { at: 2.5, p: 2 },
      ],
      3,
    );
    expect(clock.thresholdsAt.map((t) => [t.reached, hoursOf(t.at)])).toEqual([
      [false, 4],
      [false, 6],
      [false, 8],
    ]);
  });

  it('explains every change of due time in its timeline', () => {
    const clock = clockOf(
      sla247,
      [
        { at: 0, p: 4 },
        { at: 1, status: 'in_progress' },
        { at: 2, status: 'on_hold', hold: 'awaiting_customer' },
        { at: 4, status: 'in_progress' },
        { at: 5, p: 2 },
        { at: 9, status: 'resolved' },
      ],
      12,
    );
    const lines = clock.timeline.map((entry) => {
      if (entry.kind === 'priority_changed')
        return [entry.kind, hoursOf(entry.at), entry.fromPriority, entry.toPriority, hoursOf(entry.previousDueAt), hoursOf(entry.dueAt)];
      if ('fraction' in entry) return [entry.kind, hoursOf(entry.at), entry.fraction];
      if (entry.kind === 'closed_hours_skipped') return [entry.kind, hoursOf(entry.at)];
      return [entry.kind, hoursOf(entry.at), hoursOf(entry.previousDueAt), hoursOf(entry.dueAt)];
    });
    expect(lines).toEqual([
      ['started', 0, null, 40],
      ['paused', 2, 40, null],
      ['resumed', 4, null, 42],
      // 3 h elapsed at the raise; the P2 target is 8 h, so due 5 h later.
      ['priority_changed', 5, 4, 2, 42, 10],
      ['warning', 6, 0.5],
      ['warning', 8, 0.75],
      ['met', 9, 10, 10],
    ]);
  });

  it('records a breach and a late stop', () => {
    const clock = clockOf(
      sla247,
      [
        { at: 0, p: 1 },
        { at: 6, status: 'resolved' },
      ],
      7,
    );
    expect(kinds(clock.timeline)).toEqual(['started', 'warning', 'warning', 'breached', 'stopped']);
  });

  it('ignores ledger entries after now: the clock replays exactly as of any past instant', () => {
    const lines: Line[] = [{ at: 0 }, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }, { at: 5, status: 'resolved' }];
    const asOf = clockOf(sla247, lines, 3);
    expect(asOf).toEqual(clockOf(sla247, lines.slice(0, 3), 3));
    expect(asOf.state).toBe('paused');
  });

  it('takes entries in ledger order, treating a timestamp that goes backwards as its predecessor’s', () => {
    const skewed: SlaLedgerEntry[] = [
      { at: h(0), status: 'new', priority: 3 },
      { at: h(2), status: 'on_hold', holdReason: 'awaiting_customer', priority: 3 },
      { at: new Date(h(2).getTime() - 5), status: 'in_progress', priority: 3 },
    ];
    const clock = computeSlaClock(sla247, skewed, h(3)).resolution;
    expect(clock?.state).toBe('running');
    expect(clock?.pausedMs).toBe(0);
    expect(clock?.elapsedBusinessMs).toBe(3 * HOUR);
  });

  it('needs a creation at or before now', () => {
    expect(() => computeSlaClock(sla247, [], h(1))).toThrow(UnprocessableError);
    expect(() => computeSlaClock(sla247, ledger([{ at: 2 }]), h(1))).toThrow(UnprocessableError);
    expect(() => computeSlaClock(sla247, ledger([{ at: 0 }]), new Date(Number.NaN))).toThrow(RangeError);
  });

  it('computes only the metrics the definition has', () => {
    const resolutionOnly = slaDefinitionSchema.parse({
      name: 'OLA',
      calendar: calendar247,
      metrics: { resolution: { targetsMs: DEFAULT_RESOLUTION_TARGETS_MS, stopOn: ['resolved'], onReopen: 'resume' } },
    });
    const clocks = computeSlaClock(resolutionOnly, ledger([{ at: 0 }]), h(1));
    expect(Object.keys(clocks)).toEqual(['resolution']);
  });
});

describe('SLA clock on a business calendar (Europe/Paris, Mon–Fri 08:00–18:00)', () => {
  const paris = (iso: string) => new Date(iso);

  it('a P1 created Friday 17:55 is due for response Monday 08:55, skipping the weekend', () => {
    const clocks = computeSlaClock(slaParis, [{ at: paris('2024-03-08T17:55+01:00'), status: 'new', priority: 1 }], paris('2024-03-08T17:58+01:00'));
    expect(clocks.response?.dueAt?.toISOString()).toBe(paris('2024-03-11T08:55+01:00').toISOString());
    expect(clocks.response?.elapsedBusinessMs).toBe(3 * MINUTE);
    expect(clocks.response?.timeline.find((entry) => entry.kind === 'closed_hours_skipped')).toEqual({
      kind: 'closed_hours_skipped',
      at: paris('2024-03-08T18:00+01:00'),
      until: paris('2024-03-11T08:00+01:00'),
      durationMs: 62 * HOUR,
      projected: true,
    });
    // Resolution P1 is 4 business hours: 5 min on Friday, 3 h 55 on Monday.
    expect(clocks.resolution?.dueAt?.toISOString()).toBe(paris('2024-03-11T11:55+01:00').toISOString());
  });

  it('pausing for two business hours moves the due time by two business hours', () => {
    const base: SlaLedgerEntry[] = [
      { at: paris('2024-03-11T09:00+01:00'), status: 'new', priority: 1 },
      { at: paris('2024-03-11T09:10+01:00'), status: 'in_progress', priority: 1 },
    ];
    const withPause: SlaLedgerEntry[] = [
      ...base,
      { at: paris('2024-03-11T10:00+01:00'), status: 'on_hold', holdReason: 'awaiting_customer', priority: 1 },
      { at: paris('2024-03-11T12:00+01:00'), status: 'in_progress', priority: 1 },
    ];
    const now = paris('2024-03-11T12:30+01:00');
    expect(computeSlaClock(slaParis, base, now).resolution?.dueAt?.toISOString()).toBe(paris('2024-03-11T13:00+01:00').toISOString());
    const paused = computeSlaClock(slaParis, withPause, now).resolution;
    expect(paused?.dueAt?.toISOString()).toBe(paris('2024-03-11T15:00+01:00').toISOString());
    expect(paused?.pausedMs).toBe(2 * HOUR);
  });

  it('a pause over the weekend counts only its business hours', () => {
    const lines: SlaLedgerEntry[] = [
      { at: paris('2024-03-08T09:00+01:00'), status: 'in_progress', priority: 1 },
      { at: paris('2024-03-08T17:00+01:00'), status: 'on_hold', holdReason: 'awaiting_vendor', priority: 1 },
      { at: paris('2024-03-11T09:00+01:00'), status: 'in_progress', priority: 1 },
    ];
    const clock = computeSlaClock(slaParis, lines, paris('2024-03-11T09:00+01:00')).resolution;
    expect(clock?.pausedMs).toBe(2 * HOUR);
    // 8 h elapsed against a 4 h target: breached Friday at 13:00, before the pause.
    expect(clock?.state).toBe('breached');
    expect(clock?.breachedAt?.toISOString()).toBe(paris('2024-03-08T13:00+01:00').toISOString());
  });

  it('swapping the SLA recomputes from the same ledger without losing the pause', () => {
    const lines: SlaLedgerEntry[] = [
      { at: paris('2024-03-11T09:00+01:00'), status: 'in_progress', priority: 3 },
      { at: paris('2024-03-11T10:00+01:00'), status: 'on_hold', holdReason: 'awaiting_customer', priority: 3 },
      { at: paris('2024-03-11T13:00+01:00'), status: 'in_progress', priority: 3 },
    ];
    const now = paris('2024-03-11T14:00+01:00');
    const before = computeSlaClock(slaParis, lines, now).resolution;
    const after = computeSlaClock(sla247, lines, now).resolution;
    expect([before?.pausedMs, after?.pausedMs]).toEqual([3 * HOUR, 3 * HOUR]);
    expect([before?.elapsedBusinessMs, after?.elapsedBusinessMs]).toEqual([2 * HOUR, 2 * HOUR]);
  });
});

describe('SLA definitions', () => {
  it('the seed definition is valid and carries the seed response targets', () => {
    const parsed = slaDefinitionSchema.parse(slaParis);
    expect(parsed).toEqual(slaParis);
    expect(parsed.metrics.response?.targetsMs).toEqual({ 1: HOUR, 2: 2 * HOUR, 3: 4 * HOUR, 4: 8 * HOUR, 5: 8 * HOUR });
    expect(DEFAULT_RESPONSE_TARGETS_MS[1]).toBe(HOUR);
  });

  it('fills the default pause conditions and warning thresholds', () => {
    const parsed = slaDefinitionSchema.parse({
      name: 'Minimal',
      calendar: calendar247,
      metrics: { response: { targetsMs: DEFAULT_RESPONSE_TARGETS_MS, stopOn: ['in_progress'], onReopen: 'stay_stopped' } },
    });
    expect(parsed.warningThresholds).toEqual([0.5, 0.75]);
    expect(parsed.pauseWhen).toEqual([{ status: 'on_hold', holdReasons: ['awaiting_customer', 'awaiting_vendor'] }]);
  });

  const metric = { targetsMs: DEFAULT_RESPONSE_TARGETS_MS, stopOn: ['in_progress'], onReopen: 'stay_stopped' };
  it.each([
    { name: 'no metric', patch: { metrics: {} } },
    { name: 'new as a stop status', patch: { metrics: { response: { ...metric, stopOn: ['new'] } } } },
    { name: 'cancelled as a stop status', patch: { metrics: { response: { ...metric, stopOn: ['cancelled'] } } } },
    { name: 'a zero target', patch: { metrics: { response: { ...metric, targetsMs: { ...DEFAULT_RESPONSE_TARGETS_MS, 1: 0 } } } } },
    { name: 'a missing priority', patch: { metrics: { response: { ...metric, targetsMs: { 1: HOUR, 2: HOUR, 3: HOUR, 4: HOUR } } } } },
    { name: 'decreasing thresholds', patch: { warningThresholds: [0.75, 0.5] } },
    { name: 'a threshold at 100 %', patch: { warningThresholds: [0.5, 1] } },
    { name: 'an unknown hold reason', patch: { pauseWhen: [{ status: 'on_hold', holdReasons: ['awaiting_godot'] }] } },
  ])('rejects $name', ({ patch }) => {
    expect(slaDefinitionSchema.safeParse({ name: 'X', calendar: calendar247, metrics: { response: metric }, ...patch }).success).toBe(false);
  });

  it('parses stored ledger entries', () => {
    expect(slaLedgerEntrySchema.parse({ at: '2024-03-11T09:00:00+01:00', status: 'on_hold', holdReason: 'awaiting_vendor', priority: 2 })).toEqual({
      at: new Date('2024-03-11T08:00:00Z'),
      status: 'on_hold',
      holdReason: 'awaiting_vendor',
      priority: 2,
    });
    expect(slaLedgerEntrySchema.safeParse({ at: 'yesterday', status: 'new', priority: 2 }).success).toBe(false);
    expect(slaLedgerEntrySchema.safeParse({ at: '2024-03-11T09:00:00Z', status: 'new', priority: 6 }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Properties

const PRIORITIES: readonly Priority[] = [1, 2, 3, 4, 5];

const CALENDARS: readonly BusinessCalendarConfig[] = [calendar247, parisOffice, officeHoursCalendar('America/New_York'), IRREGULAR_CALENDAR];

const createdAt = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 11, 1) });

/** Random life cycles: legal actions picked at random, random gaps, occasional priority changes. */
const lifecycle = fc
  .record({
    created: createdAt,
    priority: fc.constantFrom(...PRIORITIES),
    moves: fc.array(
      fc.record({
        gapMinutes: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 24 * 60 })),
        pick: fc.nat(),
        hold: fc.constantFrom(...HOLD_REASONS),
        // One move in six changes the priority instead of the status.
        priority: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...PRIORITIES) }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ created, priority, moves }) => {
    let status: IncidentStatus = 'new';
    let current: Priority = priority;
    let at = created;
    const entries: SlaLedgerEntry[] = [{ at: new Date(at), status, priority: current }];
    for (const move of moves) {
      // Cancelling is one action in two from `new`; keep it rare (1 in 20) so most walks reach holds and resolutions.
      const allowed = allowedActions(status);
      const actions = allowed.includes('cancel') && move.pick % 20 === 0 ? ['cancel' as const] : allowed.filter((action) => action !== 'cancel');
      const action = actions[move.pick % Math.max(actions.length, 1)];
      at += move.gapMinutes * MINUTE;
      if (move.priority !== null) current = move.priority;
      else if (action) status = nextStatus(status, action);
      entries.push({ at: new Date(at), status, priority: current, holdReason: status === 'on_hold' ? move.hold : null });
    }
    return { created, entries, last: at };
  });

describe('SLA clock properties', () => {
  it('paused + elapsed never exceeds the business time since creation, and the clock is self-consistent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CALENDARS), lifecycle, fc.integer({ min: 0, max: 3 * 24 * 60 }), (calendar, { created, entries, last }, extra) => {
        const now = new Date(last + extra * MINUTE);
        const clocks = computeSlaClock(inBusinessHours(defaultSlaDefinition(calendar)), entries, now);
        const wallBusiness = businessTimeBetween(calendar, new Date(created), now);
        for (const clock of [clocks.response, clocks.resolution]) {
          if (!clock) throw new Error('Both seed metrics are defined.');
          expect(clock.pausedMs + clock.elapsedBusinessMs).toBeLessThanOrEqual(wallBusiness);
          expect(clock.remainingMs).toBe(clock.targetMs - clock.elapsedBusinessMs);
          const breached = clock.elapsedBusinessMs >= clock.targetMs;
          expect(clock.state === 'breached').toBe(breached && clock.mode !== 'cancelled');
          expect(clock.breachedAt !== null).toBe(breached);
          for (const reach of clock.thresholdsAt) {
            if (reach.reached) expect(reach.at?.getTime()).toBeLessThanOrEqual(now.getTime());
            else if (reach.at) expect(reach.at.getTime()).toBeGreaterThan(now.getTime());
            expect(reach.at === null).toBe(!reach.reached && clock.mode !== 'running');
          }
          const instants = clock.timeline.map((entry) => entry.at.getTime());
          expect(instants).toEqual([...instants].sort((a, b) => a - b));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with no pauses, the due time is creation + target under the current priority', () => {
    const workedOnly = fc.array(
      fc.record({
        gapMinutes: fc.integer({ min: 0, max: 12 * 60 }),
        status: fc.constantFrom<IncidentStatus>('new', 'assigned', 'in_progress'),
        priority: fc.constantFrom(...PRIORITIES),
      }),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CALENDARS),
        createdAt,
        fc.constantFrom(...PRIORITIES),
        workedOnly,
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        (calendar, created, priority, moves, extra) => {
          let at = created;
          const entries: SlaLedgerEntry[] = [{ at: new Date(at), status: 'new', priority }];
          for (const move of moves) {
            at += move.gapMinutes * MINUTE;
            entries.push({ at: new Date(at), status: move.status, priority: move.priority });
          }
          const clock = computeSlaClock(inBusinessHours(defaultSlaDefinition(calendar)), entries, new Date(at + extra * MINUTE)).resolution;
          const finalPriority = (entries[entries.length - 1] as SlaLedgerEntry).priority;
          expect(clock?.dueAt?.toISOString()).toBe(addBusinessTime(calendar, new Date(created), DEFAULT_RESOLUTION_TARGETS_MS[finalPriority]).toISOString());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a pause of p business time (begun before the due time) moves the due time by exactly p business time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CALENDARS),
        createdAt,
        fc.constantFrom(...PRIORITIES),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 0, max: 4 * 24 * 60 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.constantFrom<HoldReason>('awaiting_customer', 'awaiting_vendor'),
        (calendar, created, priority, where, pauseMinutes, extraMinutes, holdReason) => {
          const definition = inBusinessHours(defaultSlaDefinition(calendar));
          const target = DEFAULT_RESOLUTION_TARGETS_MS[priority];
          const start = new Date(created);
          // The pause begins after some business time short of the target, so before the due time.
          const pauseStart = addBusinessTime(calendar, start, Math.floor(where * target));
          const pauseEnd = new Date(pauseStart.getTime() + pauseMinutes * MINUTE);
          const now = new Date(pauseEnd.getTime() + extraMinutes * MINUTE);
          const base: SlaLedgerEntry[] = [
            { at: start, status: 'new', priority },
            { at: start, status: 'in_progress', priority },
          ];
          const withPause: SlaLedgerEntry[] = [
            ...base,
            { at: pauseStart, status: 'on_hold', holdReason, priority },
            { at: pauseEnd, status: 'in_progress', priority },
          ];
          const p = businessTimeBetween(calendar, pauseStart, pauseEnd);
          const unpaused = computeSlaClock(definition, base, now).resolution?.dueAt as Date;
          const paused = computeSlaClock(definition, withPause, now).resolution;
          expect(paused?.pausedMs).toBe(p);
          expect(paused?.dueAt?.toISOString()).toBe(addBusinessTime(calendar, unpaused, p).toISOString());
          expect(businessTimeBetween(calendar, unpaused, paused?.dueAt as Date)).toBe(p);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('elapsed and paused time never decrease as now advances', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CALENDARS),
        lifecycle,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        (calendar, { created, entries, last }, a, b) => {
          const definition = inBusinessHours(defaultSlaDefinition(calendar));
          const [early, late] = a <= b ? [a, b] : [b, a];
          // Instants within the last ten hours of the ledger, never before creation.
          const instant = (minutes: number) => new Date(Math.max(created, last - 600 * MINUTE + minutes * MINUTE));
          const first = computeSlaClock(definition, entries, instant(early)).resolution;
          const second = computeSlaClock(definition, entries, instant(late)).resolution;
          if (!first || !second) return;
          expect(second.pausedMs).toBeGreaterThanOrEqual(first.pausedMs);
          // A restart could reset elapsed; the seed resolution clock resumes instead.
          expect(second.elapsedBusinessMs).toBeGreaterThanOrEqual(first.elapsedBusinessMs);
        },
      ),
    );
  });
});
