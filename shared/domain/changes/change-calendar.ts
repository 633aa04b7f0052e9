/**
 * The change calendar: freeze (blackout) periods and maintenance windows per
 * CI or service, and the conflicts a change's window runs into — the same CI
 * in an overlapping change, a freeze, time outside the CI's or service's
 * maintenance window (ServiceNow's conflict detection, AWS Change Manager's
 * change calendar). A maintenance window is a business calendar (zone,
 * weekly hours, closed dates), so windows follow daylight saving exactly as
 * SLA calendars do. Pure.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { type BusinessCalendar, businessCalendarSchema, businessTimeBetween, closedSpans } from '#shared/domain/sla/business-calendar.js';
import type { ChangeStatus, ChangeType } from './change-lifecycle.js';

const Key = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');
const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const blackoutSchema = z
  .strictObject({
    id: Key,
    name: z.string().trim().min(1).max(200),
    start: Instant,
    end: Instant,
    /** Empty lists freeze everything. */
    ciIds: z.array(Key).max(200).default([]),
    serviceIds: z.array(Key).max(200).default([]),
  })
  .refine((blackout) => blackout.end > blackout.start, { message: 'A blackout must end after it starts.', path: ['end'] });
export type Blackout = z.output<typeof blackoutSchema>;

export const maintenanceWindowSchema = z.strictObject({
  id: Key,
  name: z.string().trim().min(1).max(200),
  /** The CI or service the window belongs to (CI ids as the CMDB names them). */
  target: z.strictObject({ kind: z.enum(['ci', 'service']), id: Key }),
  /** When the window is open: zone, weekly hours, closed dates. */
  calendar: businessCalendarSchema,
});
export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

export const changeCalendarSettingsSchema = z
  .strictObject({
    blackouts: z.array(blackoutSchema).max(500).default([]),
    maintenanceWindows: z.array(maintenanceWindowSchema).max(500).default([]),
  })
  .superRefine((settings, ctx) => {
    for (const [name, list] of [
      ['blackouts', settings.blackouts],
      ['maintenanceWindows', settings.maintenanceWindows],
    ] as const) {
      const ids = list.map((entry) => entry.id);
      if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Ids must be unique.', path: [name] });
    }
  });
export type ChangeCalendarSettings = z.output<typeof changeCalendarSettingsSchema>;

export function defaultChangeCalendarSettings(): ChangeCalendarSettings {
  return { blackouts: [], maintenanceWindows: [] };
}

/** What the calendar needs of a change. */
export interface CalendarChange {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly type: ChangeType;
  readonly status: ChangeStatus;
  readonly ciIds: readonly string[];
  readonly serviceIds: readonly string[];
  readonly plannedStart: string;
  readonly plannedEnd: string;
}

export type Conflict =
  | {
      readonly kind: 'ci_overlap';
      readonly ciId: string;
      readonly changeId: string;
      readonly number: string;
      readonly start: string;
      readonly end: string;
      readonly message: string;
    }
  | { readonly kind: 'blackout'; readonly blackoutId: string; readonly name: string; readonly start: string; readonly end: string; readonly message: string }
  | {
      readonly kind: 'outside_maintenance_window';
      readonly target: { readonly kind: 'ci' | 'service'; readonly id: string };
      readonly windowIds: readonly string[];
      readonly message: string;
    };

/** Half-open intervals `[start, end)` overlap. ISO-8601 UTC strings compare as instants. */
export function overlaps(aStart: string, aEnd: string, bStart: string, bEnd: string): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** Whether a blackout freezes any of these CIs or services (an unscoped one freezes everything). */
export function blackoutApplies(
  blackout: { readonly ciIds: readonly string[]; readonly serviceIds: readonly string[] },
  ciIds: readonly string[],
  serviceIds: readonly string[],
): boolean {
  if (blackout.ciIds.length === 0 && blackout.serviceIds.length === 0) return true;
  return blackout.ciIds.some((id) => ciIds.includes(id)) || blackout.serviceIds.some((id) => serviceIds.includes(id));
}

/** The maintenance windows of each CI and service the change touches, grouped by target. */
function windowsByTarget(settings: ChangeCalendarSettings, ciIds: readonly string[], serviceIds: readonly string[]) {
  const targets = [...ciIds.map((id) => ({ kind: 'ci' as const, id })), ...serviceIds.map((id) => ({ kind: 'service' as const, id }))];
  return targets
    .map((target) => ({
      target,
      windows: settings.maintenanceWindows.filter((window) => window.target.kind === target.kind && window.target.id === target.id),
    }))
    .filter((entry) => entry.windows.length > 0);
}

/** True when `[start, end)` lies wholly inside the calendar's open time. */
export function withinWindow(calendar: BusinessCalendar, start: string, end: string): boolean {
  const from = new Date(start);
  const to = new Date(end);
  return businessTimeBetween(calendar, from, to) === to.getTime() - from.getTime();
}

/**
 * Every conflict of `change`'s window: another change (on the calendar, or
 * on its way there: the caller chooses) that touches one of its CIs, each freeze
 * that overlaps it and applies to it, and each CI or service with
 * maintenance windows none of which contains it whole. Targets without
 * windows may change at any time.
 */
export function detectConflicts(change: CalendarChange, others: readonly CalendarChange[], settings: ChangeCalendarSettings): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const other of others) {
    if (other.id === change.id || !overlaps(change.plannedStart, change.plannedEnd, other.plannedStart, other.plannedEnd)) continue;
    for (const ciId of change.ciIds.filter((id) => other.ciIds.includes(id))) {
      conflicts.push({
        kind: 'ci_overlap',
        ciId,
        changeId: other.id,
        number: other.number,
        start: other.plannedStart,
        end: other.plannedEnd,
        message: `${other.number} also changes ${ciId} between ${other.plannedStart} and ${other.plannedEnd}.`,
      });
    }
  }
  for (const blackout of settings.blackouts) {
    if (!overlaps(change.plannedStart, change.plannedEnd, blackout.start, blackout.end)) continue;
    if (!blackoutApplies(blackout, change.ciIds, change.serviceIds)) continue;
    conflicts.push({
      kind: 'blackout',
      blackoutId: blackout.id,
      name: blackout.name,
      start: blackout.start,
      end: blackout.end,
      message: `Freeze '${blackout.name}' from ${blackout.start} to ${blackout.end}.`,
    });
  }
  for (const { target, windows } of windowsByTarget(settings, change.ciIds, change.serviceIds)) {
    if (windows.some((window) => withinWindow(window.calendar, change.plannedStart, change.plannedEnd))) continue;
    conflicts.push({
      kind: 'outside_maintenance_window',
      target,
      windowIds: windows.map((window) => window.id),
      message: `The window is outside every maintenance window of ${target.kind} ${target.id}.`,
    });
  }
  return conflicts;
}

/** Whether only freezes stand in the way: an emergency change may override them with an extra approval. */
export function onlyFreezes(conflicts: readonly Conflict[]): boolean {
  return conflicts.length > 0 && conflicts.every((conflict) => conflict.kind === 'blackout');
}

/**
 * May a pipeline deploy to `ciId` at `at`? No during a freeze that applies
 * to the CI (or to `serviceIds` it belongs to), outside the CI's
 * maintenance windows, or while another change on the calendar holds the
 * CI at that instant (`changeId`, the pipeline's own change, is ignored).
 */
export function canDeploy(
  query: { readonly ciId: string; readonly at: string; readonly serviceIds?: readonly string[]; readonly changeId?: string },
  changes: readonly CalendarChange[],
  settings: ChangeCalendarSettings,
): { allowed: boolean; reasons: Conflict[] } {
  const end = new Date(Date.parse(query.at) + 1).toISOString();
  const probe: CalendarChange = {
    id: query.changeId ?? '',
    number: '',
    title: '',
    type: 'standard',
    status: 'new',
    ciIds: [query.ciId],
    serviceIds: query.serviceIds ?? [],
    plannedStart: query.at,
    plannedEnd: end,
  };
  const reasons = detectConflicts(probe, changes, settings).map((conflict): Conflict => {
    if (conflict.kind !== 'outside_maintenance_window') return conflict;
    return { ...conflict, message: `${query.at} is outside every maintenance window of ${conflict.target.kind} ${conflict.target.id}.` };
  });
  return { allowed: reasons.length === 0, reasons };
}

/** One entry of the calendar view. */
export interface CalendarEntry {
  readonly kind: 'change' | 'blackout' | 'maintenance_window';
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly end: string;
  readonly ciIds: readonly string[];
  readonly serviceIds: readonly string[];
  /** Changes only. */
  readonly status?: ChangeStatus;
  readonly type?: ChangeType;
}

/** The open stretches of a calendar within `[from, to)`: the complement of its closed ones. */
function openStretches(calendar: BusinessCalendar, from: string, to: string): { start: string; end: string }[] {
  const stretches: { start: string; end: string }[] = [];
  let cursor = from;
  for (const closed of closedSpans(calendar, new Date(from), new Date(to))) {
    const closedStart = closed.start.toISOString();
    if (closedStart > cursor) stretches.push({ start: cursor, end: closedStart });
    cursor = closed.end.toISOString();
  }
  if (cursor < to) stretches.push({ start: cursor, end: to });
  return stretches;
}

/** Changes, freezes and maintenance-window openings that overlap `[from, to)`, by start time. */
export function calendarEntries(from: string, to: string, changes: readonly CalendarChange[], settings: ChangeCalendarSettings): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const change of changes) {
    if (!overlaps(from, to, change.plannedStart, change.plannedEnd)) continue;
    entries.push({
      kind: 'change',
      id: change.id,
      title: `${change.number} ${change.title}`,
      start: change.plannedStart,
      end: change.plannedEnd,
      ciIds: change.ciIds,
      serviceIds: change.serviceIds,
      status: change.status,
      type: change.type,
    });
  }
  for (const blackout of settings.blackouts) {
    if (!overlaps(from, to, blackout.start, blackout.end)) continue;
    entries.push({
      kind: 'blackout',
      id: blackout.id,
      title: blackout.name,
      start: blackout.start,
      end: blackout.end,
      ciIds: blackout.ciIds,
      serviceIds: blackout.serviceIds,
    });
  }
  for (const window of settings.maintenanceWindows) {
    for (const stretch of openStretches(window.calendar, from, to)) {
      entries.push({
        kind: 'maintenance_window',
        id: window.id,
        title: window.name,
        start: stretch.start,
        end: stretch.end,
        ciIds: window.target.kind === 'ci' ? [window.target.id] : [],
        serviceIds: window.target.kind === 'service' ? [window.target.id] : [],
      });
    }
  }
  return entries.sort((a, b) => (a.start === b.start ? a.id.localeCompare(b.id) : a.start < b.start ? -1 : 1));
}

/** `20261123T010000Z`: an iCalendar UTC date-time. */
function icalInstant(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** Escapes TEXT values (RFC 5545 §3.3.11). */
function icalText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds content lines at 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let rest = line;
  let limit = 75;
  while (Buffer.byteLength(rest, 'utf8') > limit) {
    let cut = limit;
    while (Buffer.byteLength(rest.slice(0, cut), 'utf8') > limit) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    limit = 74; // continuation lines start with a space
  }
  parts.push(rest);
  return parts.join('\r\n ');
}

/** The entries as an iCalendar feed (RFC 5545): one VEVENT each, UIDs stable per entry and start. */
export function toICalendar(entries: readonly CalendarEntry[], tenantId: string, generatedAt: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//itsm//change-calendar//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${icalText(`Changes ${tenantId}`)}`,
  ];
  for (const entry of entries) {
    const scope = [...entry.ciIds.map((id) => `CI ${id}`), ...entry.serviceIds.map((id) => `service ${id}`)].join(', ');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${entry.kind}-${entry.id}-${icalInstant(entry.start)}@${tenantId}.itsm`,
      `DTSTAMP:${icalInstant(generatedAt)}`,
      `DTSTART:${icalInstant(entry.start)}`,
      `DTEND:${icalInstant(entry.end)}`,
      `SUMMARY:${icalText(entry.kind === 'change' ? entry.title : `${entry.kind === 'blackout' ? 'Freeze' : 'Maintenance window'}: ${entry.title}`)}`,
      `CATEGORIES:${entry.kind.toUpperCase().replace('_', '-')}`,
      ...(scope ? [`DESCRIPTION:${icalText(entry.status ? `${entry.type} change, ${entry.status}; ${scope}` : scope)}`] : []),
      ...(entry.kind === 'change' ? [`STATUS:${entry.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
