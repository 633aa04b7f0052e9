/**
 * SLA definitions: which metrics a service level measures, the target per
 * priority, when each clock stops, pauses or restarts, the warning
 * thresholds, the business calendar, and per priority whether time counts
 * around the clock (`24x7`) or in that calendar (`business`). Pure data and
 * the rules that read it; the clock itself is in `sla-clock.ts`.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { HOLD_REASONS, type HoldReason, INCIDENT_STATUSES, type IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { type BusinessCalendar, type BusinessCalendarConfig, businessCalendarSchema, officeHoursCalendar } from './business-calendar.js';

const HOUR = 3_600_000;

export const SLA_METRICS = ['response', 'resolution'] as const;
/** `response`: time until someone works the incident; `resolution`: time until it is resolved. */
export type SlaMetric = (typeof SLA_METRICS)[number];

/**
 * Response targets (seed 000 §3.2: urgent 1 h, major 2 h, general 4 h, minor
 * 8 h), mapped onto P1..P4; P5 (planning) gets the minor target too.
 */
export const DEFAULT_RESPONSE_TARGETS_MS: Readonly<Record<Priority, number>> = { 1: 1 * HOUR, 2: 2 * HOUR, 3: 4 * HOUR, 4: 8 * HOUR, 5: 8 * HOUR };

/**
 * Resolution targets in business time. The seeds give none; these follow
 * common ITIL practice: P1 half a working day, P2 a working day, P3 three
 * working days of 8 h, P4 a 40-hour week, P5 two weeks.
 */
export const DEFAULT_RESOLUTION_TARGETS_MS: Readonly<Record<Priority, number>> = { 1: 4 * HOUR, 2: 8 * HOUR, 3: 24 * HOUR, 4: 40 * HOUR, 5: 80 * HOUR };

/** How a priority's clocks count time: around the clock, or only while the SLA's business calendar is open. */
export const CLOCK_CALENDARS = ['24x7', 'business'] as const;
export type ClockCalendar = (typeof CLOCK_CALENDARS)[number];

/**
 * Urgent incidents cannot wait for Monday: the seed's urgent class must be
 * answered within 1 h whenever it is raised, so P1 and P2 count 24×7 and
 * the lower priorities count office hours.
 */
export const DEFAULT_CALENDAR_BY_PRIORITY: Readonly<Record<Priority, ClockCalendar>> = { 1: '24x7', 2: '24x7', 3: 'business', 4: 'business', 5: 'business' };

/** Warnings at 50 % and 75 % of the target; the breach at 100 % is implicit. */
export const DEFAULT_WARNING_THRESHOLDS: readonly number[] = [0.5, 0.75];

/**
 * Response is met once the incident is worked: started, put on hold by an
 * agent (who had to look at it), or resolved. Assignment alone is dispatch,
 * not a response: ServiceNow likewise counts response until the incident is
 * worked, and "acknowledge" in the escalation policy means the same start.
 */
export const DEFAULT_RESPONSE_STOP: readonly StopStatus[] = ['in_progress', 'on_hold', 'resolved', 'closed'];
export const DEFAULT_RESOLUTION_STOP: readonly StopStatus[] = ['resolved', 'closed'];

/** One condition under which running clocks pause. */
export interface PauseCondition {
  readonly status: IncidentStatus;
  /** Only these hold reasons pause; absent means any. */
  readonly holdReasons?: readonly HoldReason[] | undefined;
}

/**
 * Waiting for the customer or a vendor is outside the team's control; waiting
 * for a change is not (the team's own change process), so it keeps counting.
 */
export const DEFAULT_PAUSE_CONDITIONS: readonly PauseCondition[] = [{ status: 'on_hold', holdReasons: ['awaiting_customer', 'awaiting_vendor'] }];

// `new` and `cancelled` cannot stop a clock: the clock starts at creation and cancellation has its own state.
const stopStatusSchema = z.enum(INCIDENT_STATUSES).exclude(['new', 'cancelled']);
/** Statuses that may stop a clock. */
export type StopStatus = z.output<typeof stopStatusSchema>;

/** What a stopped clock does when the incident leaves its stop statuses (e.g. reopen). */
export const REOPEN_BEHAVIOURS = ['stay_stopped', 'resume', 'restart'] as const;
export type ReopenBehaviour = (typeof REOPEN_BEHAVIOURS)[number];

/** Mutable copies of the default pause conditions, as a parsed definition holds them. */
function defaultPauseConditions(): { status: IncidentStatus; holdReasons?: HoldReason[] }[] {
  return DEFAULT_PAUSE_CONDITIONS.map(({ status, holdReasons }) => (holdReasons ? { status, holdReasons: [...holdReasons] } : { status }));
}

const durationMs = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * HOUR);

const targetsSchema = z.strictObject({ 1: durationMs, 2: durationMs, 3: durationMs, 4: durationMs, 5: durationMs });

const clockCalendar = (priority: Priority) => z.enum(CLOCK_CALENDARS).default(DEFAULT_CALENDAR_BY_PRIORITY[priority]);

/** Per priority: a priority left out keeps its default, so a tenant says only what differs. */
const calendarByPrioritySchema = z
  .strictObject({ 1: clockCalendar(1), 2: clockCalendar(2), 3: clockCalendar(3), 4: clockCalendar(4), 5: clockCalendar(5) })
  .default(() => ({ ...DEFAULT_CALENDAR_BY_PRIORITY }))
  .meta({ description: 'Per priority, `24x7` (around the clock) or `business` (the calendar in force). Default: P1 and P2 24x7, P3–P5 business.' });

const metricSchema = z.strictObject({
  /** Target per priority, in ms of business time. */
  targetsMs: targetsSchema,
  /** Entering any of these statuses stops the clock (met, or breached if late). */
  stopOn: z.array(stopStatusSchema).min(1),
  /** What happens when the incident leaves the stop statuses again. */
  onReopen: z.enum(REOPEN_BEHAVIOURS),
});

const pauseConditionSchema = z.strictObject({
  status: z.enum(INCIDENT_STATUSES),
  holdReasons: z.array(z.enum(HOLD_REASONS)).min(1).optional(),
});

const safeId = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');

/**
 * Which incidents a definition applies to: every condition given must hold
 * (AND), and a list matches one of its values (OR). Absent: no condition.
 */
const appliesToSchema = z.strictObject({
  priorities: z
    .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]))
    .min(1)
    .optional(),
  serviceIds: z.array(safeId).min(1).max(100).optional(),
  categories: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
  customerIds: z.array(safeId).min(1).max(100).optional(),
});
export type SlaAppliesTo = z.output<typeof appliesToSchema>;

/** A tenant's SLA definition, validated. */
export const slaDefinitionSchema = z.strictObject({
  name: z.string().min(1).max(120),
  /** Absent: every incident (a catch-all, normally the last definition). */
  appliesTo: appliesToSchema.optional(),
  calendar: businessCalendarSchema,
  calendarByPriority: calendarByPrioritySchema,
  metrics: z
    .strictObject({ response: metricSchema.optional(), resolution: metricSchema.optional() })
    .refine((metrics) => metrics.response !== undefined || metrics.resolution !== undefined, 'Define at least one metric.'),
  pauseWhen: z
    .array(pauseConditionSchema)
    .max(20)
    .default(() => defaultPauseConditions()),
  warningThresholds: z
    .array(z.number().gt(0).lt(1))
    .max(5)
    .default([...DEFAULT_WARNING_THRESHOLDS])
    .refine((thresholds) => thresholds.every((t, i) => i === 0 || t > (thresholds[i - 1] as number)), 'Thresholds must increase.'),
});

export type SlaDefinition = z.output<typeof slaDefinitionSchema>;
export type SlaMetricDefinition = z.output<typeof metricSchema>;

/**
 * The seed SLA for a new tenant: both metrics with the default targets,
 * P1 and P2 counted 24×7, the others in `calendar` (office hours Mon–Fri
 * 08:00–18:00 in UTC unless given).
 */
export function defaultSlaDefinition(calendar: BusinessCalendarConfig = officeHoursCalendar('UTC')): SlaDefinition {
  return {
    name: 'Standard incident SLA',
    calendar,
    calendarByPriority: { ...DEFAULT_CALENDAR_BY_PRIORITY },
    metrics: {
      response: { targetsMs: { ...DEFAULT_RESPONSE_TARGETS_MS }, stopOn: [...DEFAULT_RESPONSE_STOP], onReopen: 'stay_stopped' },
      resolution: { targetsMs: { ...DEFAULT_RESOLUTION_TARGETS_MS }, stopOn: [...DEFAULT_RESOLUTION_STOP], onReopen: 'resume' },
    },
    pauseWhen: defaultPauseConditions(),
    warningThresholds: [...DEFAULT_WARNING_THRESHOLDS],
  };
}

/** True when an incident in `status` (with `holdReason`) matches a pause condition. */
export function pausesOn(conditions: readonly PauseCondition[], status: IncidentStatus, holdReason: HoldReason | null | undefined): boolean {
  return conditions.some(
    (condition) => condition.status === status && (condition.holdReasons === undefined || (holdReason != null && condition.holdReasons.includes(holdReason))),
  );
}

/** Every instant open: the calendar of a priority that counts 24×7 (one object, so the calendar memo is shared). */
export const AROUND_THE_CLOCK: BusinessCalendar = Object.freeze({ timeZone: 'UTC', alwaysOpen: true });

/**
 * A definition as stored, completed with the per-priority calendars it may
 * lack: one saved before the setting existed reads as the defaults, with no
 * migration (and one saved with some priorities keeps them).
 */
export function withCalendarDefaults(
  stored: Omit<SlaDefinition, 'calendarByPriority'> & { readonly calendarByPriority?: Partial<SlaDefinition['calendarByPriority']> },
): SlaDefinition {
  return { ...stored, calendarByPriority: { ...DEFAULT_CALENDAR_BY_PRIORITY, ...stored.calendarByPriority } };
}

/** The calendar a clock of `kind` counts in, given the SLA's business calendar in force. */
export function countingCalendar(kind: ClockCalendar, businessCalendar: BusinessCalendar): BusinessCalendar {
  return kind === '24x7' ? AROUND_THE_CLOCK : businessCalendar;
}
