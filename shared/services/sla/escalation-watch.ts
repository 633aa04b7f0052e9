/**
 * Watching an incident's SLA without a workflow that waits: the escalation
 * workflow runs only when it has work. Between runs, ONE one-off
 * EventBridge Scheduler schedule per incident (`ActionAfterCompletion:
 * DELETE`) holds the next wake-up (the next threshold, escalation step,
 * end of quiet hours or paused-clock re-check, from the SLA domain) and
 * starts the workflow then; an incident resolved before its first
 * threshold never starts it.
 *
 * - {@link assessSla}: the pure decision over what the data layer reads
 *   (shared by the workflow's task and the arming on incident changes);
 * - {@link armSchedule}: makes the incident's schedule the one for that
 *   instant (or none), idempotently;
 * - {@link armEscalation}: on an incident change or a policy change, either
 *   starts the workflow at once (something is due now) or arms the schedule.
 *
 * The schedule's name carries its instant (`sla-<tenant hash>-<incident>-<epoch s>`):
 * the one that just fired may still exist for a moment before it deletes
 * itself, and re-arming under another name cannot collide with that
 * deletion. Arming lists the incident's schedules by prefix and deletes
 * any other, so at most one stays armed.
 * @module
 */
import { createHash } from 'node:crypto';
import type { AnnouncedIncident } from '#shared/data/sla/sla-announcement-repository.js';
import { type EscalationPolicy, type EscalationStep, planEscalations } from '#shared/domain/sla/escalation-policy.js';
import { armingGeneration } from '#shared/domain/sla/sla-arming.js';
import { computeSlaClock } from '#shared/domain/sla/sla-clock.js';
import { decideEscalation, type EscalationNext, nextWithEscalations, type SlaAnnouncement } from '#shared/domain/sla/sla-escalation.js';
import { type AuditFacts, ledgerFromHistory } from '#shared/domain/sla/sla-ledger.js';
import { type SlaPolicy, type SlaSubject, selectSla } from '#shared/domain/sla/sla-policy.js';

/** Which incident, and the arming generation a run watches for (a newer arming change supersedes it). */
export interface WatchIdentity {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly generation: number;
}

/** What the assessment reads: the data layer in Lambda, fakes in tests. */
export interface SlaReads {
  /** The incident, what was announced for it and the tenant's SLA and escalation policies (one read in the data layer). */
  getWatched(tenantId: string, incidentId: string): Promise<WatchedIncident>;
  /** The whole audit trail, oldest first: the ledger's facts plus each entry's action and version (arming). */
  listHistory(tenantId: string, incidentId: string): Promise<readonly (AuditFacts & { readonly action: string; readonly version: number })[]>;
}

/** An incident as the assessment needs it (the data layer's record has more). */
export interface WatchedIncident {
  readonly incident: (AnnouncedIncident & SlaSubject) | null;
  readonly announced: ReadonlySet<string>;
  readonly slaPolicy: SlaPolicy;
  readonly escalationPolicy: EscalationPolicy;
}

/** The assessment of an incident's SLA at one instant. */
export type SlaAssessment =
  | { readonly outcome: 'gone' | 'superseded' | 'no_sla'; readonly generation: number }
  | {
      readonly outcome: 'assessed';
      /** The arming generation in the history: the one that should be watching. */
      readonly generation: number;
      readonly incident: AnnouncedIncident & SlaSubject;
      /** Thresholds to announce now. */
      readonly announce: readonly SlaAnnouncement[];
      /** Escalation steps due now. */
      readonly due: readonly EscalationStep[];
      /** The next wake-up, or done. */
      readonly next: EscalationNext;
    };

/**
 * Reads the incident, its history, what was announced and the tenant's
 * policies, and decides at `now`. `generation` absent: the current one
 * (never superseded).
 */
export async function assessSla(reads: SlaReads, input: { tenantId: string; incidentId: string; generation?: number }, now: Date): Promise<SlaAssessment> {
  const [{ incident, announced: already, slaPolicy: policy, escalationPolicy: escalation }, history] = await Promise.all([
    reads.getWatched(input.tenantId, input.incidentId),
    reads.listHistory(input.tenantId, input.incidentId),
  ]);
  const generation = armingGeneration(history);
  if (!incident || history.length === 0) return { outcome: 'gone', generation };
  if (input.generation !== undefined && input.generation < generation) return { outcome: 'superseded', generation };
  const applied = selectSla(policy, incident);
  if (!applied) return { outcome: 'no_sla', generation };
  const clocks = computeSlaClock(applied.definition, ledgerFromHistory(history), now);
  const decision = decideEscalation(clocks, already, applied.definition.calendar, now);
  const plan = planEscalations(escalation, clocks, already, applied.definition.calendar, now);
  return { outcome: 'assessed', generation, incident, announce: decision.announce, due: plan.due, next: nextWithEscalations(decision.next, plan.nextAt, now) };
}

/** The one-off schedules of the stage's group, as the arming needs them. */
export interface EscalationSchedules {
  /** Names of the group's schedules starting with `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** A schedule that starts the escalation workflow with `input` at `at`; `exists` when that name is armed already. */
  create(name: string, at: Date, input: WatchIdentity): Promise<'created' | 'exists'>;
  /** False when it is gone already. */
  delete(name: string): Promise<boolean>;
}

/** Schedule names allow `[0-9a-zA-Z-_.]`, ≤ 64 characters; tenant ids are free text, so they are hashed. */
export function escalationSchedulePrefix(tenantId: string, incidentId: string): string {
  const tenant = createHash('sha256').update(tenantId).digest('hex').slice(0, 10);
  return `sla-${tenant}-${incidentId.replace(/[^0-9A-Za-z_.-]/g, '-').slice(0, 36)}-`;
}

/** The name of the incident's schedule for the wake-up at `at` (whole seconds, as `at()` takes them). */
export function escalationScheduleName(tenantId: string, incidentId: string, at: Date): string {
  return `${escalationSchedulePrefix(tenantId, incidentId)}${Math.ceil(at.getTime() / 1000)}`;
}

/** What one arming did, in Scheduler API calls (for logs and the cost bench). */
export interface ArmingCalls {
  readonly listed: number;
  readonly created: number;
  readonly deleted: number;
}

/**
 * Makes the schedule for `at` the incident's only one (`at` null: none).
 * Idempotent: the same instant has the same name, and creating an armed
 * name again is answered `exists`. `firstArming`: the incident was just
 * created, so nothing can be armed for it but this very schedule (from a
 * redelivery of the same event, answered `exists`): the list is skipped,
 * one Scheduler call per incident fewer.
 */
export async function armSchedule(schedules: EscalationSchedules, identity: WatchIdentity, at: Date | null, firstArming = false): Promise<ArmingCalls> {
  const prefix = escalationSchedulePrefix(identity.tenantId, identity.incidentId);
  const wanted = at ? escalationScheduleName(identity.tenantId, identity.incidentId, at) : null;
  const armed = firstArming ? [] : await schedules.list(prefix);
  let deleted = 0;
  for (const name of armed) {
    if (name === wanted) continue;
    await schedules.delete(name);
    deleted += 1;
  }
  let created = 0;
  if (at && wanted && !armed.includes(wanted)) {
    await schedules.create(wanted, at, identity);
    created = 1;
  }
  return { listed: firstArming ? 0 : 1, created, deleted };
}

/** What an incident or policy change led to. */
export type ArmingOutcome =
  | { readonly action: 'started'; readonly started: boolean; readonly generation: number }
  | { readonly action: 'scheduled'; readonly at: string; readonly generation: number; readonly calls: ArmingCalls }
  | { readonly action: 'disarmed'; readonly reason: string; readonly generation: number; readonly calls: ArmingCalls };

/**
 * After a change of the incident (or of the tenant's policies): when a
 * threshold or step is due already (a raised priority, a reopened breach,
 * a shortened target), the workflow starts at once (`start`, named per
 * change so a redelivered event starts nothing); otherwise the schedule is
 * armed for the next wake-up, or removed when nothing is left to watch.
 * `input.created`: the change is the incident's creation; while the
 * incident is still at its first version, nothing else can have armed a
 * schedule for it (see {@link armSchedule}).
 */
export async function armEscalation(
  deps: { reads: SlaReads; schedules: EscalationSchedules; start(identity: WatchIdentity): Promise<{ started: boolean }> },
  input: { tenantId: string; incidentId: string; created?: boolean },
  now: Date,
): Promise<ArmingOutcome> {
  const assessment = await assessSla(deps.reads, input, now);
  const identity: WatchIdentity = { tenantId: input.tenantId, incidentId: input.incidentId, generation: assessment.generation };
  if (assessment.outcome !== 'assessed') {
    // A vanished incident may have been armed before it went: only a fresh, assessed one skips the list.
    return { action: 'disarmed', reason: assessment.outcome, generation: assessment.generation, calls: await armSchedule(deps.schedules, identity, null) };
  }
  const firstArming = input.created === true && assessment.incident.version === 1;
  if (assessment.announce.length > 0 || assessment.due.length > 0) {
    const { started } = await deps.start(identity);
    return { action: 'started', started, generation: assessment.generation };
  }
  const next = assessment.next;
  if (next.action === 'done') {
    return {
      action: 'disarmed',
      reason: next.reason,
      generation: assessment.generation,
      calls: await armSchedule(deps.schedules, identity, null, firstArming),
    };
  }
  const calls = await armSchedule(deps.schedules, identity, next.waitUntil, firstArming);
  return { action: 'scheduled', at: next.waitUntil.toISOString(), generation: assessment.generation, calls };
}
