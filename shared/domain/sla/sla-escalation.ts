/**
 * The escalation workflow's decision, pure: given an incident's SLA clocks
 * (recomputed from its ledger just now) and the thresholds already
 * announced, which thresholds to announce now and when to look again.
 *
 * Rules:
 *
 * - A threshold is identified per clock run: `<metric>:<fraction>:<startedAt>`,
 *   so a restarted clock (reopen with `restart`) announces again, while a
 *   resumed or re-prioritised one never repeats an announcement.
 * - Per metric, only the highest reached threshold above the highest
 *   announced one is announced; the lower ones are recorded as covered. A priority raise that
 *   jumps from 40 % to 120 % yields one `SlaBreached`, not two warnings and a
 *   breach.
 * - A running or paused clock announces warnings and the breach. A stopped
 *   clock announces only a breach (a late resolution is still a breach worth
 *   reporting; a warning about work already done is noise). A cancelled
 *   clock announces nothing. (A stale warning is not recorded either: if the
 *   incident is reopened and the clock resumes, the warning is true again.)
 * - Wake-up: the earliest unreached threshold of any running clock
 *   (`thresholdsAt[].at`). A paused clock cannot reach anything while
 *   paused, and resuming it re-arms the workflow (`sla-arming.ts`), so it
 *   only asks for a safety re-check {@link PAUSED_RECHECK_MS} of open
 *   calendar time later (in the clock's calendar: 24×7 for an urgent
 *   priority), in case the re-arming event was lost. `done` is
 *   never returned while a clock is paused.
 * - `done` when no clock is running or paused with a threshold left to reach:
 *   every clock is met, breached (with its breach announced), stopped or
 *   cancelled. Escalation levels after the breach are not decided here yet.
 * - The wake-up is never earlier than {@link MIN_WAIT_MS} after `now`, so a
 *   rounding millisecond can never make the workflow spin.
 * @module
 */

import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { addBusinessTime, type BusinessCalendar } from './business-calendar.js';
import type { SlaClocks, SlaMetricClock } from './sla-clock.js';
import { countingCalendar, SLA_METRICS, type SlaMetric } from './sla-definition.js';

/** A paused clock is looked at again after this much open calendar time: a working day, a safety net behind re-arming on resume. */
export const PAUSED_RECHECK_MS = 8 * 3_600_000;
/** The shortest wait the workflow is ever asked for. */
export const MIN_WAIT_MS = 1_000;

/** One threshold to announce now, as an `SlaWarning` or `SlaBreached` event. */
export interface SlaAnnouncement {
  readonly metric: SlaMetric;
  readonly kind: 'warning' | 'breach';
  /** Fraction of the target: 0.5, 0.75 … or 1 for the breach. */
  readonly fraction: number;
  /** When the threshold was reached (may be before `now` when the evaluation runs late). */
  readonly reachedAt: Date;
  readonly priority: Priority;
  /** The clock's due time (null while paused before the breach). */
  readonly dueAt: Date | null;
  /** Its key in the announced set. */
  readonly key: string;
  /** Keys recorded with it: its own and the lower thresholds of the same clock it makes moot. */
  readonly covers: readonly string[];
}

export type EscalationNext =
  | { readonly action: 'wait'; readonly waitUntil: Date; readonly reason: 'threshold' | 'paused' | 'escalation' }
  | { readonly action: 'done'; readonly reason: 'settled' };

export interface EscalationDecision {
  /** At most one per metric, response first. */
  readonly announce: readonly SlaAnnouncement[];
  readonly next: EscalationNext;
}

/** The key of one threshold of one clock run in the announced set. */
export function thresholdKey(clock: Pick<SlaMetricClock, 'metric' | 'startedAt'>, fraction: number): string {
  return `${clock.metric}:${fraction}:${clock.startedAt.toISOString()}`;
}

/** What one clock has to announce now, if anything. */
function announcementOf(clock: SlaMetricClock, announced: ReadonlySet<string>): SlaAnnouncement | null {
  if (clock.mode === 'cancelled') return null;
  // Anything at or below an announced threshold is moot: a breach announced makes its warnings history.
  const highestAnnounced = Math.max(
    0,
    ...clock.thresholdsAt.filter((reach) => announced.has(thresholdKey(clock, reach.fraction))).map((reach) => reach.fraction),
  );
  const pending = clock.thresholdsAt.filter((reach) => reach.reached && reach.at !== null && reach.fraction > highestAnnounced);
  const highest = pending[pending.length - 1];
  if (!highest?.at || (clock.mode === 'stopped' && highest.kind !== 'breach')) return null;
  return {
    metric: clock.metric,
    kind: highest.kind,
    fraction: highest.fraction,
    reachedAt: highest.at,
    priority: clock.priority,
    dueAt: clock.dueAt,
    key: thresholdKey(clock, highest.fraction),
    covers: pending.map((reach) => thresholdKey(clock, reach.fraction)),
  };
}

/** The instant this clock next needs looking at, or null when it needs no more. */
function wakeUpOf(clock: SlaMetricClock, calendar: BusinessCalendar, now: Date): { at: Date; reason: 'threshold' | 'paused' } | null {
  const unreached = clock.thresholdsAt.filter((reach) => !reach.reached);
  if (unreached.length === 0) return null;
  if (clock.mode === 'paused') return { at: addBusinessTime(countingCalendar(clock.calendar, calendar), now, PAUSED_RECHECK_MS), reason: 'paused' };
  if (clock.mode !== 'running') return null;
  const times = unreached.flatMap((reach) => (reach.at ? [reach.at.getTime()] : []));
  return times.length > 0 ? { at: new Date(Math.min(...times)), reason: 'threshold' } : null;
}

/**
 * The decision for clocks computed at `now` under a definition whose
 * business calendar in force is `calendar` (a clock whose priority counts
 * 24×7 waits around the clock), given the keys already `announced`.
 */
export function decideEscalation(clocks: SlaClocks, announced: ReadonlySet<string>, calendar: BusinessCalendar, now: Date): EscalationDecision {
  const announce: SlaAnnouncement[] = [];
  let wake: { at: Date; reason: 'threshold' | 'paused' } | null = null;
  for (const metric of SLA_METRICS) {
    const clock = clocks[metric];
    if (!clock) continue;
    const announcement = announcementOf(clock, announced);
    if (announcement) announce.push(announcement);
    const candidate = wakeUpOf(clock, calendar, now);
    if (candidate && (!wake || candidate.at.getTime() < wake.at.getTime())) wake = candidate;
  }
  if (!wake) return { announce, next: { action: 'done', reason: 'settled' } };
  const waitUntil = new Date(Math.max(wake.at.getTime(), now.getTime() + MIN_WAIT_MS));
  return { announce, next: { action: 'wait', waitUntil, reason: wake.reason } };
}

/**
 * The next wake-up once escalation levels count too: the earlier of the
 * thresholds' wake-up and the next escalation step (`escalationAt`, which
 * may lie past every threshold: levels beyond the breach keep a settled
 * clock watched), never sooner than {@link MIN_WAIT_MS}.
 */
export function nextWithEscalations(next: EscalationNext, escalationAt: Date | null, now: Date): EscalationNext {
  if (!escalationAt) return next;
  if (next.action === 'wait' && next.waitUntil.getTime() <= escalationAt.getTime()) return next;
  return { action: 'wait', waitUntil: new Date(Math.max(escalationAt.getTime(), now.getTime() + MIN_WAIT_MS)), reason: 'escalation' };
}
