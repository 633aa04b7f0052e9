/**
 * Business calendars: when a service desk counts time. A calendar is a time
 * zone, weekly opening hours (zero or more intervals per weekday), a list of
 * holidays, or simply 24×7. The functions here answer "how much open time
 * lies between two instants" and "when will this much open time have
 * elapsed", which is all the SLA clock needs.
 *
 * Local wall times are converted to instants with `Intl.DateTimeFormat`
 * (no time-zone library). The daylight-saving rule, applied to every opening
 * interval `[start, end)` of a local date:
 *
 * - the interval opens at the first instant the local clock reads `start` or
 *   later on that date, and closes at the last instant the clock reads a
 *   time before `end` (the convex hull of the instants whose wall time lies
 *   in the interval);
 * - so on a spring-forward day a wall time that does not exist maps to the
 *   instant the clock jumps: 01:00–04:00 in Paris lasts 2 h, 02:00–03:00
 *   vanishes and 02:30–05:00 opens at 03:00;
 * - and on a fall-back day an interval that spans the repeated hour
 *   lengthens by it (01:00–04:00 lasts 4 h), one that starts inside it opens
 *   at its first occurrence, and one that ends inside it closes at its second
 *   occurrence, unless it ends exactly where the clock jumps back to
 *   (00:00–02:00 in Paris stays 2 h: the clock never reads a time before
 *   02:00 again).
 *
 * Instants are whole milliseconds; durations are non-negative integer
 * milliseconds of open time.
 * @module
 */
import * as z from 'zod';
import { UnprocessableError } from '#shared/domain/errors.js';

/** Weekday keys, Sunday first so that the index is `Date#getUTCDay()`. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening interval of a day, local wall times `HH:MM`; `end` may be `24:00`. */
export interface OpeningInterval {
  readonly start: string;
  readonly end: string;
}

/** Opening intervals per weekday; a missing or empty day is closed. */
export type WeeklyHours = Readonly<Partial<Record<Weekday, readonly OpeningInterval[]>>>;

/**
 * A business calendar. Parse untrusted input with {@link businessCalendarSchema};
 * the functions trust the shape (ordered, non-overlapping intervals).
 */
export interface BusinessCalendar {
  /** IANA time zone the opening hours and holidays are expressed in. */
  readonly timeZone: string;
  /** 24×7: every instant is open; `week` and `holidays` are ignored. */
  readonly alwaysOpen?: boolean;
  readonly week?: WeeklyHours;
  /** Local dates `YYYY-MM-DD` on which the calendar is closed all day. */
  readonly holidays?: readonly string[];
}

/** The calendar has no open time at all, so no due time can ever be reached. */
export class NoOpenTimeError extends UnprocessableError {
  constructor(timeZone: string) {
    super(`The business calendar (${timeZone}) has no open time: set opening hours on at least one weekday, or make it 24×7.`, { timeZone });
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Schema

const START_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Minutes since local midnight of `HH:MM` (`24:00` is 1440). */
function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** True when `Intl` knows the zone; it is the same engine that converts times later. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` string, or null when it is no real date. */
function dayNumberOf(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY;
}

const openingIntervalSchema = z
  .strictObject({
    start: z.string().regex(START_TIME, 'Use HH:MM, 00:00 to 23:59.'),
    end: z.string().regex(END_TIME, 'Use HH:MM, 00:01 to 24:00.'),
  })
  .refine((interval) => minutesOf(interval.end) > minutesOf(interval.start), { message: 'The interval must end after it starts.', path: ['end'] });

const dayHoursSchema = z
  .array(openingIntervalSchema)
  .max(24)
  .default([])
  .superRefine((intervals, ctx) => {
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1] as OpeningInterval;
      const current = intervals[i] as OpeningInterval;
      // Touching intervals are fine (08:00–12:00 + 12:00–13:00); overlap or disorder is a typo.
      if (minutesOf(current.start) < minutesOf(previous.end)) {
        ctx.addIssue({ code: 'custom', message: 'Intervals must be in order and must not overlap.', path: [i, 'start'] });
      }
    }
  });

const weeklyHoursSchema = z.strictObject({
  mon: dayHoursSchema,
  tue: dayHoursSchema,
  wed: dayHoursSchema,
  thu: dayHoursSchema,
  fri: dayHoursSchema,
  sat: dayHoursSchema,
  sun: dayHoursSchema,
});

/** A business calendar as tenants configure it; defaults: not 24×7, closed every day, no holidays. */
export const businessCalendarSchema = z
  .strictObject({
    timeZone: z.string().refine(isValidTimeZone, 'Unknown IANA time zone.'),
    alwaysOpen: z.boolean().default(false),
    week: weeklyHoursSchema.default({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }),
    holidays: z
      .array(z.string().refine((date) => dayNumberOf(date) !== null, 'Use a real date, YYYY-MM-DD.'))
      .max(2000)
      .default([]),
  })
  .superRefine((calendar, ctx) => {
    const open = WEEKDAYS.some((weekday) => calendar.week[weekday].length > 0);
    // A calendar that is never open would make every due time unreachable.
    if (!calendar.alwaysOpen && !open) {
      ctx.addIssue({ code: 'custom', message: 'The calendar must be open on at least one weekday, or be 24×7.', path: ['week'] });
    }
  });

/** A validated calendar (all defaults filled in). */
export type BusinessCalendarConfig = z.output<typeof businessCalendarSchema>;

/** Mon–Fri 08:00–18:00 in `timeZone`: the seed calendar for new tenants. */
export function officeHoursCalendar(timeZone: string): BusinessCalendarConfig {
  const day = [{ start: '08:00', end: '18:00' }];
  return { timeZone, alwaysOpen: false, week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, holidays: [] };
}

// ---------------------------------------------------------------------------
// Time-zone arithmetic

interface Zone {
  readonly format: Intl.DateTimeFormat | null;
}

const zones = new Map<string, Zone>();

/** A cached formatter per zone; UTC needs none, which keeps 24×7 UTC calendars cheap. */
function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false, which renders midnight as 24 on some engines.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zone = { format: format.resolvedOptions().timeZone === 'UTC' ? null : format };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Offset of local time from UTC at instant `t`, in ms (seconds precision, like the tz database). */
function offsetAt(zone: Zone, t: number): number {
  if (!zone.format) return 0;
  const second = t - (((t % 1000) + 1000) % 1000);
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of zone.format.formatToParts(second)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) - second;
}

/** Local wall time of `t` expressed as ms since 1970-01-01T00:00 local ("wall epoch"). */
function wallOf(zone: Zone, t: number): number {
  return t + offsetAt(zone, t);
}

/**
 * The instants at which the local clock reads wall time `wall`: none (spring
 * forward gap), one, or two (fall-back repeat), with the transition instant
 * when there is a gap. Assumes the offset changes at most once within a day
 * either side of the wall time: real-world changes are weeks apart.
 */
function instantsOf(zone: Zone, wall: number): { readonly valid: readonly number[]; readonly transition: number | null } {
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  const valid = candidates.filter((t) => wallOf(zone, t) === wall).sort((a, b) => a - b);
  if (valid.length > 0 || before === after) return { valid: valid.length > 0 ? valid : [wall - before], transition: null };
  // A gap: the clock jumps over `wall` at some instant in (wall - after, wall - before]. Bisect on whole seconds.
  let lo = wall - after;
  let hi = wall - before;
  const offsetLo = offsetAt(zone, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(zone, mid) === offsetLo) lo = mid;
    else hi = mid;
  }
  return { valid: [], transition: hi };
}

/** First instant at which the local clock reads `wall` or later (opening of an interval). */
function openingInstant(zone: Zone, wall: number): number {
  const { valid, transition } = instantsOf(zone, wall);
  return valid[0] ?? (transition as number);
}

/** Last instant at which the local clock reads a time before `wall` (closing of an interval). */
function closingInstant(zone: Zone, wall: number): number {
  const { valid, transition } = instantsOf(zone, wall);
  const first = valid[0];
  const second = valid[1];
  if (first === undefined) return transition as number;
  if (second === undefined) return first;
  // Repeated wall time: the clock reads earlier times again until the second occurrence,
  // unless the second occurrence is the jump itself (the clock falls back exactly to `wall`).
  return offsetAt(zone, second - 1000) === offsetAt(zone, second) ? second : first;
}

// ---------------------------------------------------------------------------
// Compiled calendar: minutes and day numbers instead of strings, memoised spans

type Span = readonly [start: number, end: number];

interface Compiled {
  readonly zone: Zone;
  readonly timeZone: string;
  readonly alwaysOpen: boolean;
  /** Per weekday index (0 = Sunday): [startMinute, endMinute] pairs. */
  readonly days: readonly (readonly Span[])[];
  readonly holidays: ReadonlySet<number>;
  readonly hasOpenTime: boolean;
  /** Open spans per local day number; converting wall times is the costly part. */
  readonly spansByDay: Map<number, readonly Span[]>;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();
const MEMO_LIMIT = 4096;

function compile(calendar: BusinessCalendar): Compiled {
  let result = compiled.get(calendar);
  if (!result) {
    const days = WEEKDAYS.map((weekday) => (calendar.week?.[weekday] ?? []).map((i): Span => [minutesOf(i.start), minutesOf(i.end)]));
    const holidays = new Set<number>();
    for (const date of calendar.holidays ?? []) {
      const day = dayNumberOf(date);
      if (day !== null) holidays.add(day);
    }
    result = {
      zone: zoneOf(calendar.timeZone),
      timeZone: calendar.timeZone,
      alwaysOpen: calendar.alwaysOpen === true,
      days,
      holidays,
      hasOpenTime: days.some((spans) => spans.some(([start, end]) => end > start)),
      spansByDay: new Map(),
    };
    compiled.set(calendar, result);
  }
  return result;
}

/** Open spans (instants) of local day number `day`, in order; empty on holidays and closed weekdays. */
function spansOfDay(c: Compiled, day: number): readonly Span[] {
  const intervals = c.days[(((day + 4) % 7) + 7) % 7] as readonly Span[];
  if (intervals.length === 0 || c.holidays.has(day)) return [];
  const cached = c.spansByDay.get(day);
  if (cached) return cached;
  const spans: Span[] = [];
  for (const [startMinute, endMinute] of intervals) {
    const start = openingInstant(c.zone, day * DAY + startMinute * MINUTE);
    const end = closingInstant(c.zone, day * DAY + endMinute * MINUTE);
    if (end > start) spans.push([start, end]);
  }
  // A crude bound rather than an LRU: the memo only saves work, never changes results.
  if (c.spansByDay.size >= MEMO_LIMIT) c.spansByDay.clear();
  c.spansByDay.set(day, spans);
  return spans;
}

/**
 * Open spans from `from` on, clipped to start at `from`, in increasing order,
 * stopping before the first one that starts at or after `until`. Steps day by
 * day (closed days cost a set lookup), never minute by minute. With no
 * `until`, throws {@link NoOpenTimeError} instead of walking forever.
 */
function* openSpans(c: Compiled, from: number, until = Number.POSITIVE_INFINITY): Generator<Span> {
  if (c.alwaysOpen) {
    if (until > from) yield [from, Number.POSITIVE_INFINITY];
    return;
  }
  if (!c.hasOpenTime) {
    if (until === Number.POSITIVE_INFINITY) throw new NoOpenTimeError(c.timeZone);
    return;
  }
  // Consecutive days without open time cannot exceed a week per holiday plus a
  // week, plus slack for days that daylight saving empties; beyond that, give up.
  const maxIdleDays = 7 * (c.holidays.size + 3);
  let idle = 0;
  let cursor = from;
  // Start a day early: yesterday's interval may still be open (e.g. a 24:00 end
  // that a fall-back around midnight pushes past the date line).
  for (let day = Math.floor(wallOf(c.zone, from) / DAY) - 1; ; day++) {
    // Instants of a local day start at most 14 h before its wall midnight.
    if ((day - 1) * DAY >= until) return;
    let found = false;
    for (const [start, end] of spansOfDay(c, day)) {
      // Clip to the cursor: overlap between days (fall-back at midnight) is counted once.
      const clipped = Math.max(start, cursor);
      if (clipped >= until) return;
      if (end > clipped) {
        yield [clipped, end];
        cursor = end;
        found = true;
      }
    }
    idle = found ? 0 : idle + 1;
    if (idle > maxIdleDays) throw new NoOpenTimeError(c.timeZone);
  }
}

// ---------------------------------------------------------------------------
// Public functions

function instant(date: Date, name: string): number {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} is an invalid date.`);
  return t;
}

/** True when the calendar is open at `at` (openings are inclusive, closings exclusive). */
export function isOpen(calendar: BusinessCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  // The first span clipped to [t, t + 1 ms) exists only if it contains t.
  return !openSpans(compile(calendar), t, t + 1).next().done;
}

/** The first instant at or after `at` at which the calendar is open (`at` itself when open). */
export function nextOpening(calendar: BusinessCalendar, at: Date): Date {
  const first = openSpans(compile(calendar), instant(at, 'at')).next();
  if (first.done) throw new NoOpenTimeError(calendar.timeZone);
  return new Date(first.value[0]);
}

/**
 * The earliest instant by which `durationMs` of open time has elapsed since
 * `start`. Counting begins at the next opening when `start` is closed; a
 * duration that ends exactly at a closing returns the closing (Friday 18:00,
 * not Monday 08:00), and a zero duration returns `start`. These choices make
 * the function additive: `add(add(s, a), b) = add(s, a + b)`.
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, durationMs: number): Date {
  const from = instant(start, 'start');
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) throw new RangeError(`durationMs must be a non-negative integer, got ${durationMs}.`);
  if (durationMs === 0) return new Date(from);
  let remaining = durationMs;
  for (const [spanStart, spanEnd] of openSpans(compile(calendar), from)) {
    if (remaining <= spanEnd - spanStart) return new Date(spanStart + remaining);
    remaining -= spanEnd - spanStart;
  }
  // openSpans without a bound either yields forever or throws; this is unreachable.
  throw new NoOpenTimeError(calendar.timeZone);
}

/** Milliseconds of open time in `[from, to)`; 0 when `to` is not after `from`. */
export function businessTimeBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  let total = 0;
  for (const [start, end] of openSpans(compile(calendar), a, b)) total += Math.min(end, b) - start;
  return total;
}

/** A closed stretch of time, `[start, end)`. */
export interface ClosedSpan {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The closed stretches within `[from, to)`, in order, maximal and non-empty.
 * Together with the open time they cover the range exactly:
 * `businessTimeBetween + Σ closed = to − from`.
 */
export function closedSpans(calendar: BusinessCalendar, from: Date, to: Date): ClosedSpan[] {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  const result: ClosedSpan[] = [];
  let cursor = a;
  for (const [start, end] of openSpans(compile(calendar), a, b)) {
    if (start > cursor) result.push({ start: new Date(cursor), end: new Date(start) });
    cursor = Math.max(cursor, end);
    if (cursor >= b) return result;
  }
  if (b > cursor) result.push({ start: new Date(cursor), end: new Date(b) });
  return result;
}
