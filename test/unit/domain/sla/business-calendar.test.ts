import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessCalendarSchema,
  businessTimeBetween,
  closedSpans,
  isOpen,
  NoOpenTimeError,
  nextOpening,
  type OpeningInterval,
  officeHoursCalendar,
  WEEKDAYS,
  type WeeklyHours,
} from '#shared/domain/sla/business-calendar.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const d = (iso: string) => new Date(iso);

const weekdays = (intervals: readonly OpeningInterval[]): WeeklyHours => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });
const everyDay = (intervals: readonly OpeningInterval[]): WeeklyHours => Object.fromEntries(WEEKDAYS.map((day) => [day, intervals]));

const paris = officeHoursCalendar('Europe/Paris');
const newYork = officeHoursCalendar('America/New_York');
const parisHolidays: BusinessCalendar = { ...paris, holidays: ['2024-05-01', '2024-12-25', '2024-12-26'] };
const parisSplit: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  week: weekdays([
    { start: '08:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ]),
};
const twentyFourSeven: BusinessCalendar = { timeZone: 'Europe/Paris', alwaysOpen: true };
const parisAllDay: BusinessCalendar = { timeZone: 'Europe/Paris', week: everyDay([{ start: '00:00', end: '24:00' }]) };
const newYorkAllDay: BusinessCalendar = { timeZone: 'America/New_York', week: everyDay([{ start: '00:00', end: '24:00' }]) };
const parisNight = (start: string, end: string): BusinessCalendar => ({ timeZone: 'Europe/Paris', week: everyDay([{ start, end }]) });
const neverOpen: BusinessCalendar = { timeZone: 'Europe/Paris', week: {} };

describe('addBusinessTime', () => {
  it.each([
    // The acceptance case: one hour left on Friday evening is mostly Monday morning.
    { name: 'Friday 17:55 + 1 h → Monday 08:55', calendar: paris, start: '2024-03-08T17:55+01:00', ms: HOUR, due: '2024-03-11T08:55+01:00' },
    {
      name: 'ends exactly at closing: Friday 17:00 + 1 h → Friday 18:00',
      calendar: paris,
      start: '2024-03-08T17:00+01:00',
      ms: HOUR,
      due: '2024-03-08T18:00+01:00',
    },
    { name: 'start on Saturday counts from Monday 08:00', calendar: paris, start: '2024-03-09T10:00+01:00', ms: 30 * MINUTE, due: '2024-03-11T08:30+01:00' },
    { name: 'start before opening counts from 08:00', calendar: paris, start: '2024-03-11T06:00+01:00', ms: HOUR, due: '2024-03-11T09:00+01:00' },
    { name: 'start after closing counts from next morning', calendar: paris, start: '2024-03-11T19:00+01:00', ms: HOUR, due: '2024-03-12T09:00+01:00' },
    { name: 'zero duration is the start, even when closed', calendar: paris, start: '2024-03-09T10:00+01:00', ms: 0, due: '2024-03-09T10:00+01:00' },
    { name: 'a whole week', calendar: paris, start: '2024-03-11T08:00+01:00', ms: 50 * HOUR, due: '2024-03-15T18:00+01:00' },
    { name: 'holiday (1 May) skipped', calendar: parisHolidays, start: '2024-04-30T17:00+02:00', ms: 2 * HOUR, due: '2024-05-02T09:00+02:00' },
    { name: 'two holidays (Christmas) skipped', calendar: parisHolidays, start: '2024-12-24T17:00+01:00', ms: 2 * HOUR, due: '2024-12-27T09:00+01:00' },
    { name: 'holidays of another calendar do not apply', calendar: paris, start: '2024-04-30T17:00+02:00', ms: 2 * HOUR, due: '2024-05-01T09:00+02:00' },
    { name: 'split day: across lunch', calendar: parisSplit, start: '2024-03-11T11:30+01:00', ms: HOUR, due: '2024-03-11T13:30+01:00' },
    { name: 'split day: start at lunch', calendar: parisSplit, start: '2024-03-11T12:15+01:00', ms: HOUR, due: '2024-03-11T14:00+01:00' },
    { name: 'split day: across the evening', calendar: parisSplit, start: '2024-03-11T16:30+01:00', ms: HOUR, due: '2024-03-12T08:30+01:00' },
    { name: '24×7: plain addition across a weekend', calendar: twentyFourSeven, start: '2024-03-08T17:55+01:00', ms: 50 * HOUR, due: '2024-03-10T19:55+01:00' },
    { name: '24×7: plain addition across spring forward', calendar: twentyFourSeven, start: '2024-03-30T12:00+01:00', ms: DAY, due: '2024-03-31T13:00+02:00' },
    {
      name: '40 business days: Monday 08:00 + 400 h → Friday 18:00 eight weeks on',
      calendar: paris,
      start: '2024-01-08T08:00+01:00',
      ms: 400 * HOUR,
      due: '2024-03-01T18:00+01:00',
    },
    // Daylight saving around office hours: the wall time is what counts.
    { name: 'Paris, weekend with spring forward', calendar: paris, start: '2024-03-29T17:00+01:00', ms: 2 * HOUR, due: '2024-04-01T09:00+02:00' },
    { name: 'Paris, weekend with fall back', calendar: paris, start: '2024-10-25T17:00+02:00', ms: 2 * HOUR, due: '2024-10-28T09:00+01:00' },
    { name: 'New York, weekend with spring forward', calendar: newYork, start: '2024-03-08T17:00-05:00', ms: 2 * HOUR, due: '2024-03-11T09:00-04:00' },
    { name: 'New York, weekend with fall back', calendar: newYork, start: '2024-11-01T17:00-04:00', ms: 2 * HOUR, due: '2024-11-04T09:00-05:00' },
    // Intervals that daylight saving cuts or stretches.
    {
      name: 'Paris spring forward: 01:30 + 1 h in 01–04 → 03:30 CEST',
      calendar: parisNight('01:00', '04:00'),
      start: '2024-03-31T01:30+01:00',
      ms: HOUR,
      due: '2024-03-31T03:30+02:00',
    },
    {
      name: 'Paris spring forward: 02–03 does not exist that day',
      calendar: parisNight('02:00', '03:00'),
      start: '2024-03-31T00:00+01:00',
      ms: 30 * MINUTE,
      due: '2024-04-01T02:30+02:00',
    },
    {
      name: 'Paris spring forward: 02:30–05:00 opens at 03:00',
      calendar: parisNight('02:30', '05:00'),
      start: '2024-03-31T00:00+01:00',
      ms: 30 * MINUTE,
      due: '2024-03-31T03:30+02:00',
    },
    {
      name: 'Paris fall back: 02–03 lasts two hours',
      calendar: parisNight('02:00', '03:00'),
      start: '2024-10-27T02:00+02:00',
      ms: 90 * MINUTE,
      due: '2024-10-27T02:30+01:00',
    },
    {
      name: 'New York fall back: 00:00–01:30 ends at the second 01:30',
      calendar: { timeZone: 'America/New_York', week: everyDay([{ start: '00:00', end: '01:30' }]) },
      start: '2024-11-03T00:00-04:00',
      ms: 150 * MINUTE,
      due: '2024-11-03T01:30-05:00',
    },
  ])('$name', ({ calendar, start, ms, due }) => {
    expect(addBusinessTime(calendar, d(start), ms).toISOString()).toBe(d(due).toISOString());
  });

  it('steps by days, not minutes: ten years of business time take well under a second', () => {
    const start = d('2024-01-08T08:00+01:00');
    const tenYears = 10 * 52 * 50 * HOUR;
    const began = performance.now();
    const due = addBusinessTime(parisHolidays, start, tenYears);
    const tookMs = performance.now() - began;
    expect(businessTimeBetween(parisHolidays, start, due)).toBe(tenYears);
    expect(tookMs).toBeLessThan(1000);
  });

  it('refuses a negative, fractional or non-finite duration', () => {
    for (const ms of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addBusinessTime(paris, d('2024-03-08T12:00Z'), ms)).toThrow(RangeError);
    }
  });

  it('refuses an invalid start date', () => {
    expect(() => addBusinessTime(paris, new Date(Number.NaN), HOUR)).toThrow(RangeError);
  });
});

describe('a calendar with no open time', () => {
  it('makes addBusinessTime and nextOpening throw a clear 422 at once instead of looping', () => {
    expect(() => addBusinessTime(neverOpen, d('2024-03-08T12:00Z'), HOUR)).toThrow(NoOpenTimeError);
    expect(() => addBusinessTime(neverOpen, d('2024-03-08T12:00Z'), HOUR)).toThrow(/no open time/);
    expect(() => nextOpening(neverOpen, d('2024-03-08T12:00Z'))).toThrow(NoOpenTimeError);
    const error = (() => {
      try {
        nextOpening(neverOpen, d('2024-03-08T12:00Z'));
      } catch (thrown) {
        return thrown as NoOpenTimeError;
      }
    })();
    expect(error?.kind).toBe('unprocessable');
  });

  it('measures zero open time and one closed span over any range', () => {
    expect(businessTimeBetween(neverOpen, d('2024-03-01T00:00Z'), d('2024-04-01T00:00Z'))).toBe(0);
    expect(isOpen(neverOpen, d('2024-03-08T12:00Z'))).toBe(false);
    expect(closedSpans(neverOpen, d('2024-03-01T00:00Z'), d('2024-04-01T00:00Z'))).toEqual([{ start: d('2024-03-01T00:00Z'), end: d('2024-04-01T00:00Z') }]);
  });

  it('still finds the rare opening of a calendar open one hour a week, even when daylight saving removes it', () => {
    // Sunday 02:00–03:00 does not exist on 31 March 2024 in Paris; the next Sunday it does.
    const sundayNight: BusinessCalendar = { timeZone: 'Europe/Paris', week: { sun: [{ start: '02:00', end: '03:00' }] } };
    expect(nextOpening(sundayNight, d('2024-03-30T12:00+01:00')).toISOString()).toBe(d('2024-04-07T02:00+02:00').toISOString());
  });
});

describe('businessTimeBetween', () => {
  it.each([
    { name: 'one office day', calendar: paris, from: '2024-03-11T00:00+01:00', to: '2024-03-12T00:00+01:00', ms: 10 * HOUR },
    { name: 'Friday 17:55 to Monday 08:55', calendar: paris, from: '2024-03-08T17:55+01:00', to: '2024-03-11T08:55+01:00', ms: HOUR },
    { name: 'reversed range is empty', calendar: paris, from: '2024-03-12T00:00+01:00', to: '2024-03-11T00:00+01:00', ms: 0 },
    { name: 'a holiday week', calendar: parisHolidays, from: '2024-04-29T00:00+02:00', to: '2024-05-06T00:00+02:00', ms: 40 * HOUR },
    { name: 'split day', calendar: parisSplit, from: '2024-03-11T00:00+01:00', to: '2024-03-12T00:00+01:00', ms: 8 * HOUR },
    { name: '24×7 is wall time', calendar: twentyFourSeven, from: '2024-03-30T00:00+01:00', to: '2024-04-01T00:00+02:00', ms: 47 * HOUR },
    // A whole local day is 23 h on spring forward and 25 h on fall back.
    { name: 'Paris spring-forward day is 23 h', calendar: parisAllDay, from: '2024-03-31T00:00+01:00', to: '2024-04-01T00:00+02:00', ms: 23 * HOUR },
    { name: 'Paris fall-back day is 25 h', calendar: parisAllDay, from: '2024-10-27T00:00+02:00', to: '2024-10-28T00:00+01:00', ms: 25 * HOUR },
    { name: 'New York spring-forward day is 23 h', calendar: newYorkAllDay, from: '2024-03-10T00:00-05:00', to: '2024-03-11T00:00-04:00', ms: 23 * HOUR },
    { name: 'New York fall-back day is 25 h', calendar: newYorkAllDay, from: '2024-11-03T00:00-04:00', to: '2024-11-04T00:00-05:00', ms: 25 * HOUR },
    {
      name: 'Paris 01–04 shortens to 2 h on spring forward',
      calendar: parisNight('01:00', '04:00'),
      from: '2024-03-31T00:00+01:00',
      to: '2024-03-31T12:00+02:00',
      ms: 2 * HOUR,
    },
    {
      name: 'Paris 01–04 lengthens to 4 h on fall back',
      calendar: parisNight('01:00', '04:00'),
      from: '2024-10-27T00:00+02:00',
      to: '2024-10-27T12:00+01:00',
      ms: 4 * HOUR,
    },
    {
      name: 'Paris 02–03 vanishes on spring forward',
      calendar: parisNight('02:00', '03:00'),
      from: '2024-03-31T00:00+01:00',
      to: '2024-03-31T12:00+02:00',
      ms: 0,
    },
    {
      name: 'Paris 02–03 doubles on fall back',
      calendar: parisNight('02:00', '03:00'),
      from: '2024-10-27T00:00+02:00',
      to: '2024-10-27T12:00+01:00',
      ms: 2 * HOUR,
    },
    {
      name: 'Paris 00–02 stays 2 h on fall back (the clock falls back to its end)',
      calendar: parisNight('00:00', '02:00'),
      from: '2024-10-27T00:00+02:00',
      to: '2024-10-27T12:00+01:00',
      ms: 2 * HOUR,
    },
    {
      name: 'Paris 02:30–05:00 is 2 h on spring forward',
      calendar: parisNight('02:30', '05:00'),
      from: '2024-03-31T00:00+01:00',
      to: '2024-03-31T12:00+02:00',
      ms: 2 * HOUR,
    },
    {
      // 00:01 ADT fell back to 23:01 AST of the day before, so 1 November's first minute occurred twice, an hour apart.
      name: 'Goose Bay 2009 fall back at 00:01: two all-day days are 49 h, the overlap counted once',
      calendar: { timeZone: 'America/Goose_Bay', week: everyDay([{ start: '00:00', end: '24:00' }]) },
      from: '2009-10-31T00:00-03:00',
      to: '2009-11-02T00:00-04:00',
      ms: 49 * HOUR,
    },
    {
      name: 'Lord Howe 01–03 loses 30 min on spring forward',
      calendar: { timeZone: 'Australia/Lord_Howe', week: everyDay([{ start: '01:00', end: '03:00' }]) },
      from: '2024-10-06T00:00+10:30',
      to: '2024-10-06T12:00+11:00',
      ms: 90 * MINUTE,
    },
  ])('$name', ({ calendar, from, to, ms }) => {
    expect(businessTimeBetween(calendar, d(from), d(to))).toBe(ms);
  });
});

describe('isOpen and nextOpening', () => {
  it.each([
    { name: 'inside office hours', calendar: paris, at: '2024-03-11T10:00+01:00', open: true, next: '2024-03-11T10:00+01:00' },
    { name: 'at opening (inclusive)', calendar: paris, at: '2024-03-11T08:00+01:00', open: true, next: '2024-03-11T08:00+01:00' },
    { name: 'at closing (exclusive)', calendar: paris, at: '2024-03-11T18:00+01:00', open: false, next: '2024-03-12T08:00+01:00' },
    { name: 'Saturday', calendar: paris, at: '2024-03-09T10:00+01:00', open: false, next: '2024-03-11T08:00+01:00' },
    { name: 'holiday', calendar: parisHolidays, at: '2024-05-01T10:00+02:00', open: false, next: '2024-05-02T08:00+02:00' },
    { name: 'lunch break', calendar: parisSplit, at: '2024-03-11T12:30+01:00', open: false, next: '2024-03-11T13:00+01:00' },
    { name: '24×7', calendar: twentyFourSeven, at: '2024-03-10T03:00+01:00', open: true, next: '2024-03-10T03:00+01:00' },
    {
      name: 'New York repeated hour, second pass',
      calendar: { timeZone: 'America/New_York', week: everyDay([{ start: '00:00', end: '01:30' }]) },
      at: '2024-11-03T01:15-05:00',
      open: true,
      next: '2024-11-03T01:15-05:00',
    },
  ])('$name', ({ calendar, at, open, next }) => {
    expect(isOpen(calendar, d(at))).toBe(open);
    expect(nextOpening(calendar, d(at)).toISOString()).toBe(d(next).toISOString());
  });
});

describe('closedSpans', () => {
  it('lists the weekend between Friday afternoon and Monday morning', () => {
    expect(closedSpans(paris, d('2024-03-08T17:00+01:00'), d('2024-03-11T09:00+01:00'))).toEqual([
      { start: d('2024-03-08T18:00+01:00'), end: d('2024-03-11T08:00+01:00') },
    ]);
  });

  it('lists lunch breaks and nights of a split calendar, clipped to the range', () => {
    expect(closedSpans(parisSplit, d('2024-03-11T11:00+01:00'), d('2024-03-12T08:30+01:00'))).toEqual([
      { start: d('2024-03-11T12:00+01:00'), end: d('2024-03-11T13:00+01:00') },
      { start: d('2024-03-11T17:00+01:00'), end: d('2024-03-12T08:00+01:00') },
    ]);
  });

  it('is empty for 24×7 and for an open range, and the whole range when all closed', () => {
    expect(closedSpans(twentyFourSeven, d('2024-03-08T00:00Z'), d('2024-03-18T00:00Z'))).toEqual([]);
    expect(closedSpans(paris, d('2024-03-11T09:00+01:00'), d('2024-03-11T10:00+01:00'))).toEqual([]);
    expect(closedSpans(paris, d('2024-03-09T09:00+01:00'), d('2024-03-09T10:00+01:00'))).toEqual([
      { start: d('2024-03-09T09:00+01:00'), end: d('2024-03-09T10:00+01:00') },
    ]);
  });
});

describe('businessCalendarSchema', () => {
  const valid = {
    timeZone: 'Europe/Paris',
    week: {
      mon: [
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '24:00' },
      ],
    },
    holidays: ['2024-02-29'],
  };

  it('accepts touching intervals, 24:00 as an end and a leap day, filling defaults', () => {
    const parsed = businessCalendarSchema.parse(valid);
    expect(parsed.alwaysOpen).toBe(false);
    expect(parsed.week.sun).toEqual([]);
    expect(parsed.holidays).toEqual(['2024-02-29']);
  });

  it('accepts a 24×7 calendar with no hours', () => {
    expect(businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true }).alwaysOpen).toBe(true);
  });

  it.each([
    { name: 'unknown zone', patch: { timeZone: 'Mars/Olympus_Mons' } },
    { name: 'H:MM', patch: { week: { mon: [{ start: '8:00', end: '12:00' }] } } },
    { name: 'minutes over 59', patch: { week: { mon: [{ start: '08:60', end: '12:00' }] } } },
    { name: '24:00 as a start', patch: { week: { mon: [{ start: '24:00', end: '24:00' }] } } },
    { name: 'past 24:00', patch: { week: { mon: [{ start: '08:00', end: '24:30' }] } } },
    { name: 'end before start', patch: { week: { mon: [{ start: '12:00', end: '08:00' }] } } },
    { name: 'empty interval', patch: { week: { mon: [{ start: '08:00', end: '08:00' }] } } },
    {
      name: 'overlap',
      patch: {
        week: {
          mon: [
            { start: '08:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      },
    },
    {
      name: 'disorder',
      patch: {
        week: {
          mon: [
            { start: '13:00', end: '17:00' },
            { start: '08:00', end: '12:00' },
          ],
        },
      },
    },
    { name: 'no open time', patch: { week: {} } },
    { name: 'impossible holiday', patch: { holidays: ['2023-02-29'] } },
    { name: 'holiday not YYYY-MM-DD', patch: { holidays: ['1/5/2024'] } },
  ])('rejects $name', ({ patch }) => {
    expect(businessCalendarSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Properties over random calendars

/**
 * Zones with no DST, ordinary DST, 30-minute DST (Lord Howe), 45-minute
 * offsets (Chatham), half-hour offsets with DST (St John's), midnight DST
 * (São Paulo until 2019) and DST at 00:01 (Goose Bay until 2010, whose fall
 * back repeats the first minute of a date after the previous date resumes).
 */
const ZONES = [
  'UTC',
  'Asia/Kolkata',
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Goose_Bay',
];

/** Instants just around DST transitions of those zones, so random starts hit them often. */
const TRANSITIONS = [
  '2024-03-31T01:00Z',
  '2024-10-27T01:00Z',
  '2024-03-10T07:00Z',
  '2024-11-03T06:00Z',
  '2024-04-06T15:00Z',
  '2024-10-05T15:30Z',
  '2024-04-06T14:00Z',
  '2024-09-28T14:00Z',
  '2024-03-10T05:30Z',
  '2024-11-03T04:30Z',
  '2018-11-04T03:00Z',
  '2019-02-17T02:00Z',
  '2009-03-08T04:01Z',
  '2009-11-01T03:01Z',
].map((iso) => d(iso).getTime());

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Boundaries biased to the hours DST moves (00:00–03:00) and to whole days. */
const boundary = fc.oneof(fc.constantFrom(0, 30, 60, 90, 120, 150, 165, 180, 1440), fc.integer({ min: 0, max: 1440 }));

/** 0–3 ordered, non-overlapping intervals: sorted distinct boundaries taken in pairs. */
const dayHours = fc.uniqueArray(boundary, { maxLength: 6 }).map((points): OpeningInterval[] => {
  const sorted = [...points].sort((a, b) => a - b);
  const intervals: OpeningInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push({ start: hhmm(sorted[i] as number), end: hhmm(sorted[i + 1] as number) });
  return intervals;
});

const weekHours = fc.tuple(...WEEKDAYS.map(() => dayHours)).map((days): WeeklyHours => {
  const week: Record<string, OpeningInterval[]> = Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i] as OpeningInterval[]]));
  // A calendar never open is refused by the schema; keep the generator within valid calendars.
  if (WEEKDAYS.every((day) => week[day]?.length === 0)) week.wed = [{ start: '09:00', end: '17:00' }];
  return week;
});

const startInstant = fc.oneof(
  fc.integer({ min: d('2023-01-01T00:00Z').getTime(), max: d('2026-12-31T00:00Z').getTime() }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -4 * DAY, max: 4 * DAY })).map(([t, offset]) => t + offset),
);

/** A start instant and a calendar whose holidays fall in the weeks after it. */
const scenario = fc
  .record({
    start: startInstant,
    timeZone: fc.constantFrom(...ZONES),
    alwaysOpen: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    week: weekHours,
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -2, max: 40 }), { maxLength: 8 }),
  })
  .map(({ start, timeZone, alwaysOpen, week, holidayOffsets }) => {
    const holidays = holidayOffsets.map((offset) => new Date(start + offset * DAY).toISOString().slice(0, 10));
    const calendar: BusinessCalendar = alwaysOpen ? { timeZone, alwaysOpen: true } : { timeZone, week, holidays };
    return { start: new Date(start), calendar };
  });

const duration = fc.oneof(
  fc.integer({ min: 0, max: 4 * HOUR }),
  fc.integer({ min: 0, max: 200 * HOUR }),
  fc.integer({ min: 0, max: 60 }).map((m) => m * MINUTE),
);

describe('calendar properties', () => {
  it('the schema accepts every generated calendar', () => {
    fc.assert(fc.property(scenario, ({ calendar }) => businessCalendarSchema.safeParse(calendar).success));
  });

  it('measuring back what was added gives the same duration', () => {
    fc.assert(
      fc.property(scenario, duration, ({ start, calendar }, ms) => {
        expect(businessTimeBetween(calendar, start, addBusinessTime(calendar, start, ms))).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic: a longer duration never ends earlier', () => {
    fc.assert(
      fc.property(scenario, duration, duration, ({ start, calendar }, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(calendar, start, short).getTime()).toBeLessThanOrEqual(addBusinessTime(calendar, start, long).getTime());
      }),
    );
  });

  it('is additive: adding a then b is adding a + b', () => {
    fc.assert(
      fc.property(scenario, duration, duration, ({ start, calendar }, a, b) => {
        const stepwise = addBusinessTime(calendar, addBusinessTime(calendar, start, a), b);
        expect(stepwise.toISOString()).toBe(addBusinessTime(calendar, start, a + b).toISOString());
      }),
    );
  });

  it('24×7 is plain addition, in every zone', () => {
    fc.assert(
      fc.property(startInstant, fc.constantFrom(...ZONES), duration, (start, timeZone, ms) => {
        expect(addBusinessTime({ timeZone, alwaysOpen: true }, new Date(start), ms).getTime()).toBe(start + ms);
      }),
    );
  });

  it('open time and closed spans tile the range exactly; isOpen agrees with nextOpening', () => {
    fc.assert(
      fc.property(scenario, duration, fc.integer({ min: 0, max: 3 * DAY }), ({ start, calendar }, probe, length) => {
        const to = new Date(start.getTime() + length);
        const closed = closedSpans(calendar, start, to);
        const closedMs = closed.reduce((sum, span) => sum + span.end.getTime() - span.start.getTime(), 0);
        expect(businessTimeBetween(calendar, start, to) + closedMs).toBe(length);
        for (const span of closed) expect(businessTimeBetween(calendar, span.start, span.end)).toBe(0);
        const at = new Date(start.getTime() + probe);
        expect(isOpen(calendar, at)).toBe(nextOpening(calendar, at).getTime() === at.getTime());
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * An independent, brute-force reading of the documented rule: sample every
 * minute, read its local wall time with Intl, and take each interval of each
 * local date from the first to the last minute whose wall time lies in it.
 */
function bruteForceOpenMinutes(calendar: BusinessCalendar, from: number, to: number): number {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: calendar.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const hulls = new Map<string, [number, number]>();
  for (let t = from - 2 * DAY; t < to + 2 * DAY; t += MINUTE) {
    const [date = '', time = ''] = format.format(t).split(', ');
    const [dd, mm, yyyy] = date.split('/');
    const local = `${yyyy}-${mm}-${dd}`;
    if (calendar.holidays?.includes(local)) continue;
    const weekday = WEEKDAYS[new Date(`${local}T00:00Z`).getUTCDay()] as (typeof WEEKDAYS)[number];
    const minute = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
    (calendar.week?.[weekday] ?? []).forEach((interval, i) => {
      const [sh, sm] = interval.start.split(':').map(Number);
      const [eh, em] = interval.end.split(':').map(Number);
      if (minute < (sh as number) * 60 + (sm as number) || minute >= (eh as number) * 60 + (em as number)) return;
      const key = `${local}#${i}`;
      const hull = hulls.get(key);
      hulls.set(key, hull ? [hull[0], t + MINUTE] : [t, t + MINUTE]);
    });
  }
  let open = 0;
  for (let t = from; t < to; t += MINUTE) if ([...hulls.values()].some(([a, b]) => t >= a && t < b)) open++;
  return open;
}

describe('calendar against a brute-force oracle', () => {
  it('agrees minute for minute around DST transitions in every zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRANSITIONS),
        fc.integer({ min: -36, max: 12 }),
        fc.constantFrom(...ZONES),
        weekHours,
        fc.boolean(),
        (transition, hours, timeZone, week, holiday) => {
          const from = transition + hours * HOUR;
          const to = from + DAY;
          const holidays = holiday ? [new Date(transition).toISOString().slice(0, 10)] : [];
          const calendar: BusinessCalendar = { timeZone, week, holidays };
          expect(businessTimeBetween(calendar, new Date(from), new Date(to))).toBe(bruteForceOpenMinutes(calendar, from, to) * MINUTE);
        },
      ),
      { numRuns: 30 },
    );
  });
});
