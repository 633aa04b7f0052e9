/**
 * The SLA clock, derived from the incident's ledger of transitions. Nothing
 * is stored but the ledger: elapsed, paused and due times are recomputed by
 * replaying it under an SLA definition, so a priority change, a pause or a
 * swapped definition never loses accumulated time, and any past moment can
 * be replayed exactly (entries after `now` are ignored).
 *
 * Rules, per metric:
 *
 * - The clock starts at the first ledger entry (creation).
 * - It runs while the incident is in no stop status and matches no pause
 *   condition; it pauses while a pause condition matches (by default on hold
 *   awaiting customer or vendor); entering a stop status stops it (met, or
 *   breached if late); `cancelled` cancels it. Stop wins over pause.
 * - Elapsed and paused times are counted in the calendar of the priority in
 *   force at the time (`calendarByPriority`: 24×7, or the SLA's business
 *   calendar): each stretch counts in its own priority's calendar, and the
 *   due time is projected in the current one. A P1 raised on Sunday morning
 *   counting 24×7 is due an hour later, not on Monday.
 * - The target is that of the current priority, applied to the whole elapsed
 *   time (ServiceNow recalculates this way): raising P4 to P1 after 2 h
 *   leaves a 1 h target with 2 h elapsed, i.e. breached at the raise. A
 *   stopped clock keeps the priority (and calendar) it stopped with.
 * - Leaving the stop statuses (reopen) follows the metric's `onReopen`:
 *   `stay_stopped` (response: a response happened once and for all),
 *   `resume` (resolution by default: elapsed time is kept and the clock runs
 *   on; time spent resolved counts neither as elapsed nor as paused), or
 *   `restart` (a fresh clock from the reopening).
 * - A threshold (warning fraction or the breach at 1) is reached while
 *   elapsed ≥ fraction × target; `at` is when it last became reached, which
 *   after a priority raise may be the raise itself. The breach is reached at
 *   the due time: a clock stopped exactly at the due time is breached.
 * @module
 */
import * as z from 'zod';
import { UnprocessableError } from '#shared/domain/errors.js';
import { HOLD_REASONS, type HoldReason, INCIDENT_STATUSES, type IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween, closedSpans } from './business-calendar.js';
import {
  type ClockCalendar,
  countingCalendar,
  type PauseCondition,
  pausesOn,
  SLA_METRICS,
  type SlaDefinition,
  type SlaMetric,
  type SlaMetricDefinition,
} from './sla-definition.js';

/** One recorded transition or priority change of the incident: its state from `at` on. */
export interface SlaLedgerEntry {
  readonly at: Date;
  readonly status: IncidentStatus;
  readonly holdReason?: HoldReason | null | undefined;
  readonly priority: Priority;
}

/** A ledger entry as stored or sent (ISO timestamps), parsed into a {@link SlaLedgerEntry}. */
export const slaLedgerEntrySchema = z.object({
  at: z.union([z.date(), z.iso.datetime({ offset: true })]).transform((at) => new Date(at)),
  status: z.enum(INCIDENT_STATUSES),
  holdReason: z.enum(HOLD_REASONS).nullable().optional(),
  priority: z.literal([1, 2, 3, 4, 5]),
});

/** What the clock is doing, regardless of the target. */
export type ClockMode = 'running' | 'paused' | 'stopped' | 'cancelled';
/** The state shown to people: a breach outranks running or paused. */
export type SlaState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

/** When a warning threshold or the breach is (or was) reached. */
export interface ThresholdReach {
  /** Fraction of the target: the warning thresholds, then 1 for the breach. */
  readonly fraction: number;
  readonly kind: 'warning' | 'breach';
  readonly reached: boolean;
  /**
   * Reached: when (in the past). Not reached: when it will be if the clock
   * keeps running, or null when it is paused, stopped or cancelled: that is
   * the instant an escalation workflow waits for.
   */
  readonly at: Date | null;
}

/** A change of the clock's status, with the due time before and after it. */
export interface SlaStatusEvent {
  readonly kind: 'started' | 'paused' | 'resumed' | 'met' | 'stopped' | 'cancelled' | 'reopened' | 'restarted';
  readonly at: Date;
  readonly status: IncidentStatus;
  readonly holdReason: HoldReason | null;
  readonly previousDueAt: Date | null;
  readonly dueAt: Date | null;
}

/** The priority changed while the clock was active: new target over the whole elapsed time. */
export interface SlaPriorityEvent {
  readonly kind: 'priority_changed';
  readonly at: Date;
  readonly fromPriority: Priority;
  readonly toPriority: Priority;
  readonly previousTargetMs: number;
  readonly targetMs: number;
  /** How time counts before and after the change (they differ when, say, P3 office hours becomes P1 24×7). */
  readonly previousCalendar: ClockCalendar;
  readonly calendar: ClockCalendar;
  readonly previousDueAt: Date | null;
  readonly dueAt: Date | null;
}

/** A closed stretch of the calendar the running clock skipped (`projected`: between now and the due time). */
export interface SlaClosedHoursEvent {
  readonly kind: 'closed_hours_skipped';
  readonly at: Date;
  readonly until: Date;
  readonly durationMs: number;
  readonly projected: boolean;
}

/** A threshold reached (current judgement: see {@link ThresholdReach}). */
export interface SlaThresholdEvent {
  readonly kind: 'warning' | 'breached';
  readonly at: Date;
  readonly fraction: number;
}

/**
 * One line of the explanation, in time order. `stopped` is a stop after the
 * breach; `met` a stop in time.
 */
export type SlaTimelineEntry = SlaStatusEvent | SlaPriorityEvent | SlaClosedHoursEvent | SlaThresholdEvent;

/** One metric's clock as of `now`. */
export interface SlaMetricClock {
  readonly metric: SlaMetric;
  /** The priority whose target applies. */
  readonly priority: Priority;
  readonly targetMs: number;
  /** How the priority's time counts: around the clock, or in the SLA's business calendar. */
  readonly calendar: ClockCalendar;
  /** Creation, or the reopening for a restarted clock. */
  readonly startedAt: Date;
  /** When it stopped or was cancelled; null while active. */
  readonly stoppedAt: Date | null;
  /**
   * When elapsed reaches the target: in the future while running, in the past
   * once breached. Null while paused before the breach (unknown until it
   * resumes). For a stopped clock, when it would have been due had it kept
   * running from the stop.
   */
  readonly dueAt: Date | null;
  readonly elapsedBusinessMs: number;
  /** Business time spent paused while the clock was active. */
  readonly pausedMs: number;
  /** Target minus elapsed; negative once breached (overdue by that much). */
  readonly remainingMs: number;
  /** Elapsed as a percentage of the target, unrounded; above 100 when breached. */
  readonly percent: number;
  readonly state: SlaState;
  readonly mode: ClockMode;
  readonly breachedAt: Date | null;
  readonly thresholdsAt: readonly ThresholdReach[];
  readonly timeline: readonly SlaTimelineEntry[];
}

/** The clock of every metric the definition measures. */
export type SlaClocks = Readonly<Partial<Record<SlaMetric, SlaMetricClock>>>;

// ---------------------------------------------------------------------------

/** A stretch during which the clock ran, with the elapsed time at its start and the calendar it counted in. */
interface Run {
  readonly calendar: BusinessCalendar;
  readonly from: number;
  readonly to: number;
  readonly elapsedAtFrom: number;
  readonly elapsedAtTo: number;
}

/** A ledger entry with a numeric, non-decreasing instant. */
interface Step {
  readonly at: number;
  readonly status: IncidentStatus;
  readonly holdReason: HoldReason | null;
  readonly priority: Priority;
}

/** Everything a replay needs that does not change during it. */
interface Rules {
  /** The calendar time counts in at each priority. */
  readonly calendarOf: (priority: Priority) => BusinessCalendar;
  readonly kindOf: (priority: Priority) => ClockCalendar;
  readonly metric: SlaMetricDefinition;
  readonly pauseWhen: readonly PauseCondition[];
  /** Warning fractions then 1. */
  readonly fractions: readonly number[];
}

/** The replay's accumulator (mutated only inside {@link replay}). */
interface Walk {
  mode: ClockMode;
  priority: Priority;
  targetMs: number;
  elapsed: number;
  paused: number;
  startedAt: number;
  stoppedAt: number | null;
  /** Runs since the last restart: where thresholds were crossed. */
  runs: Run[];
  /** Every run, for the closed-hours explanation. */
  readonly history: Run[];
  reached: (number | null)[];
  readonly timeline: SlaTimelineEntry[];
}

const toDate = (t: number | null): Date | null => (t === null ? null : new Date(t));

/**
 * Ledger entries up to `now`, as steps. Entries are taken in ledger order
 * (the sequence is the truth); one stamped before its predecessor (clock skew
 * between writers) is treated as happening at the predecessor's instant.
 */
function stepsOf(ledger: readonly SlaLedgerEntry[], now: number): Step[] {
  const steps: Step[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const entry of ledger) {
    const at = Math.max(entry.at.getTime(), last);
    if (Number.isNaN(at)) throw new RangeError('A ledger entry has an invalid date.');
    if (at > now) break;
    steps.push({ at, status: entry.status, holdReason: entry.holdReason ?? null, priority: entry.priority });
    last = at;
  }
  return steps;
}

/** What the clock does in a given incident state. */
function modeOf(rules: Rules, step: Step): ClockMode {
  if (step.status === 'cancelled') return 'cancelled';
  if (rules.metric.stopOn.some((status) => status === step.status)) return 'stopped';
  return pausesOn(rules.pauseWhen, step.status, step.holdReason) ? 'paused' : 'running';
}

/** Elapsed time at which `fraction` of `targetMs` is reached (whole ms, rounded up). */
function levelMs(fraction: number, targetMs: number): number {
  return fraction >= 1 ? targetMs : Math.ceil(fraction * targetMs);
}

/** The instant elapsed time reached `level` during `runs`, or null if it has not. */
function crossing(runs: readonly Run[], level: number): number | null {
  const run = runs.find((r) => r.elapsedAtFrom < level && r.elapsedAtTo >= level);
  return run ? addBusinessTime(run.calendar, new Date(run.from), level - run.elapsedAtFrom).getTime() : null;
}

/** The due time as it stands at `t`, given the walk's current mode, target and elapsed time. */
function dueAt(rules: Rules, walk: Walk, t: number): number | null {
  const remaining = walk.targetMs - walk.elapsed;
  if (remaining <= 0) return crossing(walk.runs, walk.targetMs);
  if (walk.mode === 'paused') return null;
  const from = walk.mode === 'running' ? t : (walk.stoppedAt ?? t);
  return addBusinessTime(rules.calendarOf(walk.priority), new Date(from), remaining).getTime();
}

/** Re-judges every threshold after the target changed at `t`: reached ones stay, newly reached ones start at `t`. */
function rejudge(rules: Rules, walk: Walk, t: number): void {
  walk.reached = rules.fractions.map((fraction, i) => (walk.elapsed >= levelMs(fraction, walk.targetMs) ? (walk.reached[i] ?? t) : null));
}

/** Accounts for `[from, to)` spent in the walk's current mode, in the calendar of the priority it had then. */
function advance(rules: Rules, walk: Walk, from: number, to: number): void {
  if (to <= from) return;
  const calendar = rules.calendarOf(walk.priority);
  if (walk.mode === 'paused') {
    walk.paused += businessTimeBetween(calendar, new Date(from), new Date(to));
    return;
  }
  if (walk.mode !== 'running') return;
  const business = businessTimeBetween(calendar, new Date(from), new Date(to));
  const run: Run = { calendar, from, to, elapsedAtFrom: walk.elapsed, elapsedAtTo: walk.elapsed + business };
  walk.reached = rules.fractions.map((fraction, i) => {
    const level = levelMs(fraction, walk.targetMs);
    const already = walk.reached[i] ?? null;
    if (already !== null || run.elapsedAtTo < level) return already;
    return addBusinessTime(calendar, new Date(from), level - run.elapsedAtFrom).getTime();
  });
  walk.elapsed = run.elapsedAtTo;
  walk.runs.push(run);
  walk.history.push(run);
}

function statusEvent(kind: SlaStatusEvent['kind'], step: Step, previousDueAt: number | null, due: number | null): SlaStatusEvent {
  return { kind, at: new Date(step.at), status: step.status, holdReason: step.holdReason, previousDueAt: toDate(previousDueAt), dueAt: toDate(due) };
}

/** A new priority while active: the new target applies to the whole elapsed time. */
function changePriority(rules: Rules, walk: Walk, step: Step): void {
  const before = dueAt(rules, walk, step.at);
  const previousTargetMs = walk.targetMs;
  const fromPriority = walk.priority;
  walk.priority = step.priority;
  walk.targetMs = rules.metric.targetsMs[step.priority];
  rejudge(rules, walk, step.at);
  walk.timeline.push({
    kind: 'priority_changed',
    at: new Date(step.at),
    fromPriority,
    toPriority: step.priority,
    previousTargetMs,
    targetMs: walk.targetMs,
    previousCalendar: rules.kindOf(fromPriority),
    calendar: rules.kindOf(step.priority),
    previousDueAt: toDate(before),
    dueAt: toDate(dueAt(rules, walk, step.at)),
  });
}

/** Moves an active clock into the mode of `step`, recording the change when there is one. */
function changeMode(rules: Rules, walk: Walk, step: Step, next: ClockMode): void {
  if (next === walk.mode) return;
  const before = dueAt(rules, walk, step.at);
  const previous = walk.mode;
  walk.mode = next;
  if (next === 'stopped' || next === 'cancelled') walk.stoppedAt = step.at;
  const after = dueAt(rules, walk, step.at);
  const breached = walk.elapsed >= walk.targetMs;
  const kind: SlaStatusEvent['kind'] =
    next === 'cancelled' ? 'cancelled' : next === 'stopped' ? (breached ? 'stopped' : 'met') : previous === 'paused' ? 'resumed' : 'paused';
  walk.timeline.push(statusEvent(kind, step, before, after));
}

/** A stopped clock whose incident left the stop statuses: stay stopped, resume or restart. */
function reopen(rules: Rules, walk: Walk, step: Step, next: ClockMode): void {
  const behaviour = rules.metric.onReopen;
  if (next === 'stopped' || next === 'cancelled' || behaviour === 'stay_stopped') return;
  const before = dueAt(rules, walk, step.at);
  if (behaviour === 'restart') {
    walk.elapsed = 0;
    walk.paused = 0;
    walk.runs = [];
    walk.reached = rules.fractions.map(() => null);
    walk.startedAt = step.at;
  }
  walk.mode = next;
  walk.stoppedAt = null;
  walk.priority = step.priority;
  walk.targetMs = rules.metric.targetsMs[step.priority];
  rejudge(rules, walk, step.at);
  walk.timeline.push(statusEvent(behaviour === 'restart' ? 'restarted' : 'reopened', step, before, dueAt(rules, walk, step.at)));
}

/** Applies one ledger entry after the time before it has been accounted for. */
function apply(rules: Rules, walk: Walk, step: Step): void {
  const next = modeOf(rules, step);
  if (walk.mode === 'cancelled') return;
  if (walk.mode === 'stopped') {
    reopen(rules, walk, step, next);
    return;
  }
  if (step.priority !== walk.priority) changePriority(rules, walk, step);
  changeMode(rules, walk, step, next);
}

/** Replays the steps up to `now` into a walk. */
function replay(rules: Rules, steps: readonly Step[], now: number): Walk {
  const first = steps[0] as Step;
  const walk: Walk = {
    mode: 'running',
    priority: first.priority,
    targetMs: rules.metric.targetsMs[first.priority],
    elapsed: 0,
    paused: 0,
    startedAt: first.at,
    stoppedAt: null,
    runs: [],
    history: [],
    reached: rules.fractions.map(() => null),
    timeline: [],
  };
  walk.timeline.push(statusEvent('started', first, null, dueAt(rules, walk, first.at)));
  // Created straight into a paused or stopped state: record that as a change from running.
  changeMode(rules, walk, first, modeOf(rules, first));
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i] as Step;
    advance(rules, walk, (steps[i - 1] as Step).at, step.at);
    apply(rules, walk, step);
  }
  advance(rules, walk, (steps[steps.length - 1] as Step).at, now);
  return walk;
}

/** Closed calendar hours the running clock skipped, past runs and (while running) the way to the due time; a 24×7 stretch skips none. */
function closedHours(
  history: readonly Run[],
  projectedUntil: { readonly calendar: BusinessCalendar; readonly from: number; readonly to: number } | null,
): SlaClosedHoursEvent[] {
  const stretches = history.map((run) => ({ calendar: run.calendar, from: run.from, to: run.to, projected: false }));
  if (projectedUntil) stretches.push({ ...projectedUntil, projected: true });
  const events: SlaClosedHoursEvent[] = [];
  for (const stretch of stretches) {
    for (const span of closedSpans(stretch.calendar, new Date(stretch.from), new Date(stretch.to))) {
      const last = events[events.length - 1];
      // Runs split at every ledger entry; a closed night across such a split is one night.
      if (last && last.until.getTime() === span.start.getTime() && last.projected === stretch.projected) {
        events[events.length - 1] = { ...last, until: span.end, durationMs: span.end.getTime() - last.at.getTime() };
      } else {
        const durationMs = span.end.getTime() - span.start.getTime();
        events.push({ kind: 'closed_hours_skipped', at: span.start, until: span.end, durationMs, projected: stretch.projected });
      }
    }
  }
  return events;
}

function stateOf(walk: Walk): SlaState {
  if (walk.mode === 'cancelled') return 'cancelled';
  if (walk.elapsed >= walk.targetMs) return 'breached';
  return walk.mode === 'stopped' ? 'met' : walk.mode;
}

/** The thresholds as reached, or projected from `now` while running. */
function thresholds(rules: Rules, walk: Walk, now: number): ThresholdReach[] {
  return rules.fractions.map((fraction, i) => {
    const kind = i === rules.fractions.length - 1 ? 'breach' : 'warning';
    const reached = walk.reached[i] ?? null;
    if (reached !== null) return { fraction, kind, reached: true, at: new Date(reached) };
    const at =
      walk.mode === 'running' ? addBusinessTime(rules.calendarOf(walk.priority), new Date(now), levelMs(fraction, walk.targetMs) - walk.elapsed) : null;
    return { fraction, kind, reached: false, at };
  });
}

/** One metric's clock as of `now`. */
function metricClock(definition: SlaDefinition, metric: SlaMetric, metricDefinition: SlaMetricDefinition, steps: readonly Step[], now: number): SlaMetricClock {
  const rules: Rules = {
    calendarOf: (priority) => countingCalendar(definition.calendarByPriority[priority], definition.calendar),
    kindOf: (priority) => definition.calendarByPriority[priority],
    metric: metricDefinition,
    pauseWhen: definition.pauseWhen,
    fractions: [...definition.warningThresholds, 1],
  };
  const walk = replay(rules, steps, now);
  const due = dueAt(rules, walk, now);
  const thresholdsAt = thresholds(rules, walk, now);
  const projected = walk.mode === 'running' && due !== null && due > now ? { calendar: rules.calendarOf(walk.priority), from: now, to: due } : null;
  const reachedEvents = thresholdsAt.flatMap((reach): SlaThresholdEvent[] =>
    reach.reached && reach.at ? [{ kind: reach.kind === 'breach' ? 'breached' : 'warning', at: reach.at, fraction: reach.fraction }] : [],
  );
  // Stable sort: same-instant events keep their logical order (status, then priority, then skipped hours and thresholds).
  const timeline = [...walk.timeline, ...closedHours(walk.history, projected), ...reachedEvents].sort((a, b) => a.at.getTime() - b.at.getTime());
  const breach = thresholdsAt[thresholdsAt.length - 1];
  return {
    metric,
    priority: walk.priority,
    targetMs: walk.targetMs,
    calendar: rules.kindOf(walk.priority),
    startedAt: new Date(walk.startedAt),
    stoppedAt: toDate(walk.stoppedAt),
    dueAt: toDate(due),
    elapsedBusinessMs: walk.elapsed,
    pausedMs: walk.paused,
    remainingMs: walk.targetMs - walk.elapsed,
    percent: (walk.elapsed / walk.targetMs) * 100,
    state: stateOf(walk),
    mode: walk.mode,
    breachedAt: breach?.reached ? breach.at : null,
    thresholdsAt,
    timeline,
  };
}

/**
 * Every clock of `definition` for the incident whose transitions are
 * `ledger` (in ledger order, creation first), as of `now`. Recomputing with
 * another definition is the way to swap SLAs.
 */
export function computeSlaClock(definition: SlaDefinition, ledger: readonly SlaLedgerEntry[], now: Date): SlaClocks {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('now is an invalid date.');
  const steps = stepsOf(ledger, t);
  if (steps.length === 0) throw new UnprocessableError('The SLA clock needs the incident creation in the ledger, at or before now.');
  const clocks: Partial<Record<SlaMetric, SlaMetricClock>> = {};
  for (const metric of SLA_METRICS) {
    const metricDefinition = definition.metrics[metric];
    if (metricDefinition) clocks[metric] = metricClock(definition, metric, metricDefinition, steps, t);
  }
  return clocks;
}
