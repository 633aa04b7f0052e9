/**
 * Escalation policies (seed 001 §2.2): ordered levels, each reached when an
 * SLA clock's elapsed business time reaches a trigger (a fraction of the
 * target, e.g. 1 = at the breach, 1.5 = half the target past it, or a fixed
 * elapsed duration), and then either
 *
 * - functional: the incident is reassigned to a more specialised group:
 *   a named one, or "the next tier up" (`toNextTier`: the group its current
 *   group escalates to, else the default group of the next tier that has
 *   one; seed 001 §2.2, tiers 000 §6.1), or
 * - hierarchical: managers (roles, named users, or the manager of the
 *   incident's current group: `notifyGroupManager`) are notified,
 *
 * optionally repeated every so much business time. Which levels are due,
 * and when to look again, is decided here, purely, from the clocks the
 * workflow recomputed.
 *
 * Rules:
 *
 * - A level follows one metric's clock while it runs. Once the clock stops
 *   the climb stops: for response that is the acknowledgement (work
 *   started), for resolution the resolution. A paused clock does not climb
 *   (and resuming re-arms the workflow). A cancelled clock never escalates.
 * - Keys name the clock run like threshold keys
 *   (`escalation:<level>:<repeat>:<startedAt>`), so each repetition of each
 *   level happens once per clock run, across retries and racing evaluations.
 * - When an evaluation comes late and several repetitions of one level are
 *   due, only the latest happens; the earlier ones are recorded as covered.
 * - Triggers are elapsed time on the clock, so the next one is projected in
 *   the clock's own calendar: 24×7 for a priority that counts around the
 *   clock, the SLA's business calendar otherwise.
 * - Quiet hours: a level may notify only while a calendar is open (the
 *   target group's hours, or, when it names none, the calendar the clock
 *   counts in: an urgent priority counting 24×7 has no quiet hours), except
 *   for the priorities it lists as urgent. A due step outside those hours
 *   waits for the calendar's next opening: no page at midnight for a P3.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { applyIncidentAction, type Incident, type IncidentChange } from '#shared/domain/incidents/incident.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { type Actor, ROLES } from '#shared/domain/roles.js';
import { addBusinessTime, type BusinessCalendar, businessCalendarSchema, isOpen, nextOpening } from './business-calendar.js';
import type { SlaClocks, SlaMetricClock } from './sla-clock.js';
import { countingCalendar, SLA_METRICS, type SlaMetric } from './sla-definition.js';

const HOUR = 3_600_000;
const safeId = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');
const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const durationMs = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * HOUR);

export const ESCALATION_KINDS = ['functional', 'hierarchical'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

const levelSchema = z
  .strictObject({
    name: z.string().min(1).max(120),
    metric: z.enum(SLA_METRICS),
    /** Reached at this fraction of the clock's target (1 = the breach) or after this much elapsed business time. */
    trigger: z.union([z.strictObject({ threshold: z.number().gt(0).max(10) }), z.strictObject({ elapsedMs: durationMs })]),
    kind: z.enum(ESCALATION_KINDS),
    /** Functional: the group the incident is reassigned to. */
    assignmentGroup: safeId.optional(),
    /** Functional: reassign to the next tier up from the incident's current group (instead of a named group). */
    toNextTier: z.literal(true).optional(),
    /** Hierarchical: notify the manager of the incident's current group too. */
    notifyGroupManager: z.literal(true).optional(),
    /** Hierarchical: who is notified (through the `IncidentEscalated` event). */
    notifyRoles: z.array(z.enum(ROLES)).min(1).optional(),
    notifyUsers: z.array(safeId).min(1).max(50).optional(),
    /** Only for incidents of these priorities. @default all */
    priorities: z.array(priority).min(1).optional(),
    /** Repeat the level `count` more times, every `everyMs` of business time. */
    repeat: z.strictObject({ count: z.number().int().min(1).max(10), everyMs: durationMs }).optional(),
    /**
     * Quiet hours: notify only while this calendar is open (`sla` = the
     * calendar the clock counts in: 24×7 or the SLA's business calendar in force; or the target group's own), except for
     * `urgentPriorities`, which are notified around the clock. Absent: around the clock.
     */
    notifyWithin: z
      .strictObject({ calendar: z.union([z.literal('sla'), businessCalendarSchema]), urgentPriorities: z.array(priority).default([1]) })
      .optional(),
  })
  .superRefine((level, ctx) => {
    if (level.kind === 'functional' && !level.assignmentGroup === !level.toNextTier) {
      ctx.addIssue({ code: 'custom', message: 'A functional level names the group to reassign to, or toNextTier (not both).', path: ['assignmentGroup'] });
    }
    if (level.kind === 'hierarchical' && !level.notifyRoles && !level.notifyUsers && !level.notifyGroupManager) {
      ctx.addIssue({ code: 'custom', message: "A hierarchical level names roles or users to notify, or the group's manager.", path: ['notifyRoles'] });
    }
    if (level.kind === 'hierarchical' && (level.assignmentGroup || level.toNextTier)) {
      ctx.addIssue({ code: 'custom', message: 'A hierarchical level notifies; it does not reassign.', path: ['kind'] });
    }
  });

/** A tenant's escalation policy, validated. */
export const escalationPolicySchema = z.strictObject({ levels: z.array(levelSchema).max(20) });
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;
export type EscalationLevel = EscalationPolicy['levels'][number];

/**
 * The seed policy: hierarchical only (group names are the tenant's own).
 * The duty manager hears of a late response at once for P1 and P2 and in
 * office hours otherwise; a late resolution goes to managers, repeated
 * twice every 4 business hours; at twice the target the tenant admins hear
 * of it too.
 */
export function defaultEscalationPolicy(): EscalationPolicy {
  const officeHours = { calendar: 'sla' as const, urgentPriorities: [1, 2] as Priority[] };
  return {
    levels: [
      {
        name: 'Response late: duty manager',
        metric: 'response',
        trigger: { threshold: 1 },
        kind: 'hierarchical',
        notifyRoles: ['manager'],
        notifyWithin: officeHours,
      },
      {
        name: 'Resolution late: managers',
        metric: 'resolution',
        trigger: { threshold: 1 },
        kind: 'hierarchical',
        notifyRoles: ['manager'],
        repeat: { count: 2, everyMs: 4 * HOUR },
        notifyWithin: officeHours,
      },
      {
        name: 'Resolution at twice the target: service owner',
        metric: 'resolution',
        trigger: { threshold: 2 },
        kind: 'hierarchical',
        notifyRoles: ['tenant-admin'],
        notifyWithin: officeHours,
      },
    ],
  };
}

/** One escalation to carry out now. */
export interface EscalationStep {
  readonly levelIndex: number;
  readonly level: EscalationLevel;
  /** 0 for the level itself, 1… for its repetitions. */
  readonly repeat: number;
  readonly metric: SlaMetric;
  readonly priority: Priority;
  /** Elapsed business time on the clock at which this step was due. */
  readonly triggerElapsedMs: number;
  readonly key: string;
  /** Keys recorded with it: its own and the earlier repetitions it makes moot. */
  readonly covers: readonly string[];
}

export interface EscalationPlan {
  /** In level order. */
  readonly due: readonly EscalationStep[];
  /** When the next step becomes due (or a deferred one may be notified); null when none is ahead. */
  readonly nextAt: Date | null;
  /** Steps due but held back by quiet hours, until `nextAt` at the latest. */
  readonly deferred: readonly { readonly key: string; readonly until: Date }[];
}

/** The key of one repetition of one level for one clock run. */
export function escalationKey(levelIndex: number, repeat: number, clock: Pick<SlaMetricClock, 'startedAt'>): string {
  return `escalation:${levelIndex}:${repeat}:${clock.startedAt.toISOString()}`;
}

function triggerElapsed(level: EscalationLevel, clock: SlaMetricClock, repeat: number): number {
  const base = 'threshold' in level.trigger ? Math.round(level.trigger.threshold * clock.targetMs) : level.trigger.elapsedMs;
  return base + repeat * (level.repeat?.everyMs ?? 0);
}

/**
 * The escalation steps due at `now` for `clocks` (computed at `now` under an
 * SLA whose business calendar in force is `slaCalendar`), given the keys
 * already `announced`.
 */
export function planEscalations(
  policy: EscalationPolicy,
  clocks: SlaClocks,
  announced: ReadonlySet<string>,
  slaCalendar: BusinessCalendar,
  now: Date,
): EscalationPlan {
  const due: EscalationStep[] = [];
  const deferred: { key: string; until: Date }[] = [];
  let nextAt: number | null = null;
  const consider = (at: Date) => {
    nextAt = nextAt === null ? at.getTime() : Math.min(nextAt, at.getTime());
  };
  policy.levels.forEach((level, levelIndex) => {
    const clock = clocks[level.metric];
    if (!clock || (clock.mode !== 'running' && clock.mode !== 'paused')) return;
    if (level.priorities && !level.priorities.includes(clock.priority)) return;
    const counting = countingCalendar(clock.calendar, slaCalendar);
    const repeats = 1 + (level.repeat?.count ?? 0);
    // A repetition taken makes the earlier ones history, as a breach does its warnings.
    let first = 0;
    for (let repeat = 0; repeat < repeats; repeat++) if (announced.has(escalationKey(levelIndex, repeat, clock))) first = repeat + 1;
    const reached: number[] = [];
    for (let repeat = first; repeat < repeats; repeat++) {
      const trigger = triggerElapsed(level, clock, repeat);
      if (clock.elapsedBusinessMs >= trigger) {
        reached.push(repeat);
        continue;
      }
      // A paused clock cannot reach anything until it resumes, and resuming re-arms the workflow.
      if (clock.mode === 'running') consider(addBusinessTime(counting, now, trigger - clock.elapsedBusinessMs));
      break;
    }
    const latest = reached.at(-1);
    if (latest === undefined) return;
    const key = escalationKey(levelIndex, latest, clock);
    const quiet = level.notifyWithin;
    if (quiet && !quiet.urgentPriorities.includes(clock.priority)) {
      const hours = quiet.calendar === 'sla' ? counting : quiet.calendar;
      if (!isOpen(hours, now)) {
        const until = nextOpening(hours, now);
        deferred.push({ key, until });
        consider(until);
        return;
      }
    }
    due.push({
      levelIndex,
      level,
      repeat: latest,
      metric: level.metric,
      priority: clock.priority,
      triggerElapsedMs: triggerElapsed(level, clock, latest),
      key,
      covers: reached.map((repeat) => escalationKey(levelIndex, repeat, clock)),
    });
  });
  return { due, nextAt: nextAt === null ? null : new Date(nextAt), deferred };
}

/**
 * The system actor SLA announcements and escalations are attributed to. It
 * acts with a duty manager's authority: a functional escalation reassigns
 * an incident another group holds, which only managers may.
 */
export const SLA_ENGINE: Omit<Actor, 'tenantId'> = { userId: 'sla-engine', roles: ['manager'] };

/**
 * What the tenant's groups say about an incident's escalation, read for a
 * step that needs it (`toNextTier`, `notifyGroupManager`): the group the
 * next tier up would take it, and the current group's manager.
 */
export interface EscalationTargets {
  /** The next tier's group (null at the top tier, or when no higher tier has an active group). */
  readonly nextTierGroup: string | null;
  /** The manager of the incident's current group (null: no group, or a group without one). */
  readonly groupManager: string | null;
}

export const NO_ESCALATION_TARGETS: EscalationTargets = { nextTierGroup: null, groupManager: null };

/** Whether carrying out `level` needs the groups read (its targets depend on the incident's group). */
export function needsGroupTargets(level: EscalationLevel): boolean {
  return level.toNextTier === true || level.notifyGroupManager === true;
}

/** The group a functional step moves the incident to, if any. */
function targetGroupOf(level: EscalationLevel, targets: EscalationTargets): string | undefined {
  if (level.kind !== 'functional') return undefined;
  return level.toNextTier ? (targets.nextTierGroup ?? undefined) : level.assignmentGroup;
}

/** What an `IncidentEscalated` event and its audit entry say about the step (`facts`). */
export function escalationFacts(step: EscalationStep, targets: EscalationTargets = NO_ESCALATION_TARGETS): Record<string, unknown> {
  const { level } = step;
  const group = targetGroupOf(level, targets);
  const manager = level.notifyGroupManager ? targets.groupManager : null;
  const users = [...(level.notifyUsers ?? []), ...(manager && !level.notifyUsers?.includes(manager) ? [manager] : [])];
  return {
    level: step.levelIndex,
    levelName: level.name,
    kind: level.kind,
    metric: step.metric,
    repeat: step.repeat,
    triggerElapsedMs: step.triggerElapsedMs,
    ...(group ? { assignmentGroup: group } : {}),
    ...(level.toNextTier ? { toNextTier: true, ...(group ? {} : { noTarget: 'No higher tier has an active group to take it.' }) } : {}),
    ...(level.notifyGroupManager ? { groupManager: manager } : {}),
    notifyRoles: [...(level.notifyRoles ?? [])],
    notifyUsers: users,
  };
}

/**
 * The incident change a step makes: a functional step reassigns the
 * incident to its group (a dispatch, counted as such); a hierarchical one,
 * a functional one whose group already holds the incident, or a next-tier
 * one at the top tier, changes nothing but is still recorded and announced
 * (`changes` empty). `targets` answers the steps that depend on the
 * incident's group ({@link needsGroupTargets}).
 */
export function escalationChange(incident: Incident, step: EscalationStep, now: string, targets: EscalationTargets = NO_ESCALATION_TARGETS): IncidentChange {
  const facts = escalationFacts(step, targets);
  const group = targetGroupOf(step.level, targets);
  if (!group || group === incident.assignmentGroup) return { incident, action: 'escalate', eventType: 'IncidentEscalated', changes: [], facts };
  const reassigned = applyIncidentAction(
    incident,
    { action: 'assign', assignmentGroup: group },
    { actor: { tenantId: incident.tenantId, ...SLA_ENGINE }, now },
  );
  return { ...reassigned, action: 'escalate', eventType: 'IncidentEscalated', facts: { ...reassigned.facts, ...facts } };
}
