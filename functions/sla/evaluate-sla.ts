/**
 * The `EvaluateSla` task of `statemachines/incident-escalation.asl.json`,
 * started by the incident's one-off schedule when it has work (or at once
 * by the arming, when something is due already): re-reads the incident and
 * its whole history, replays its SLA clocks, announces the thresholds
 * reached since the last look (`SlaWarning`, `SlaBreached`, through the
 * outbox, each at most once), takes the escalation steps due, and arms the
 * schedule of the next wake-up (or removes it when nothing is left to
 * watch) instead of waiting in the workflow. The decision itself is pure:
 * `shared/domain/sla/sla-escalation.ts`, through
 * `shared/services/sla/escalation-watch.ts`.
 *
 * Safe to run again at any time (a retry, a duplicate delivery of the
 * schedule): announcements and steps are conditional on not having been
 * made, and arming the same instant again changes nothing.
 * @module
 */

import * as z from 'zod';
import { now } from '#shared/clock.js';
import { listWholeIncidentHistory } from '#shared/data/incidents/incident-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import { type AnnouncedIncident, announceSlaThreshold, recordEscalation } from '#shared/data/sla/sla-announcement-repository.js';
import { getWatchedIncident } from '#shared/data/sla/sla-watch-repository.js';
import type { EscalationStep } from '#shared/domain/sla/escalation-policy.js';
import type { SlaAnnouncement } from '#shared/domain/sla/sla-escalation.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { schedulerEscalationSchedules } from '#shared/services/sla/escalation-schedules.js';
import { armSchedule, assessSla, type SlaReads, type WatchIdentity } from '#shared/services/sla/escalation-watch.js';

/** What the workflow passes in: the schedule's input (extra members are ignored). */
export const evaluateSlaInput = z.object({
  tenantId: z.string().min(1),
  incidentId: z.string().min(1),
  /** The incident version whose change armed this run (`shared/domain/sla/sla-arming.ts`); a newer one supersedes it. */
  generation: z.number().int().nonnegative(),
});
export type EvaluateSlaInput = z.output<typeof evaluateSlaInput>;

/** The task's answer: the execution's output. */
export interface EvaluateSlaResult extends EvaluateSlaInput {
  /** The execution's work is done either way: `nextAt`, when present, is the armed schedule's instant. */
  readonly action: 'done';
  /** ISO-8601 UTC: when the incident's schedule starts the workflow again; absent when nothing is left to watch. */
  readonly nextAt?: string;
  /**
   * `threshold`: the next threshold; `paused`: a re-check of a paused clock;
   * `escalation`: the next escalation step (or the end of quiet hours);
   * `settled`: no clock needs watching; `gone`: no such incident;
   * `superseded`: a later change armed a newer schedule, which watches instead;
   * `no_sla`: no definition of the policy applies to the incident.
   */
  readonly reason: 'threshold' | 'paused' | 'escalation' | 'settled' | 'gone' | 'superseded' | 'no_sla';
  readonly evaluatedAt: string;
  /** Thresholds announced and escalation steps taken by this evaluation, e.g. `resolution:0.75`, `escalation:1:0` (level 1, first time). */
  readonly announced: readonly string[];
}

/** Everything the evaluation reads, writes or asks the time of: the data layer and the scheduler in Lambda, fakes in tests. */
export interface SlaEvaluatorDeps extends SlaReads {
  now(): Date;
  /** Throws `ConflictError` when the threshold was announced meanwhile. */
  announce(incident: AnnouncedIncident, announcement: SlaAnnouncement, now: Date): Promise<void>;
  /** Carries out one escalation step; throws `ConflictError` when it was taken or the incident changed meanwhile. */
  escalate(incident: AnnouncedIncident, step: EscalationStep, now: Date): Promise<void>;
  /** Arms the incident's one schedule for `at` (null: removes it). */
  arm(identity: WatchIdentity, at: Date | null): Promise<unknown>;
}

/** Builds the task handler over `deps`. */
export function createSlaEvaluator(deps: SlaEvaluatorDeps): (event: unknown) => Promise<EvaluateSlaResult> {
  return async (event) => {
    const input = evaluateSlaInput.parse(event);
    const identity: EvaluateSlaInput = { tenantId: input.tenantId, incidentId: input.incidentId, generation: input.generation };
    const announced: string[] = [];
    // A concurrent evaluation (or an edit of the incident) came first: read
    // again and decide again, under the one retry policy.
    const onRetry = (_error: unknown, attempt: number) =>
      logger.info('SLA announcement or escalation raced another change; deciding again', { incidentId: input.incidentId, attempt });
    const result = await retryOnConflict(
      async (): Promise<EvaluateSlaResult> => {
        const now = deps.now();
        const evaluatedAt = now.toISOString();
        const assessment = await assessSla(deps, input, now);
        if (assessment.outcome !== 'assessed') return { ...identity, action: 'done', reason: assessment.outcome, evaluatedAt, announced };
        for (const announcement of assessment.announce) {
          await deps.announce(assessment.incident, announcement, now);
          announced.push(`${announcement.metric}:${announcement.fraction}`);
        }
        for (const step of assessment.due) {
          await deps.escalate(assessment.incident, step, now);
          announced.push(`escalation:${step.levelIndex}:${step.repeat}`);
        }
        const next = assessment.next;
        return next.action === 'wait'
          ? { ...identity, action: 'done', nextAt: next.waitUntil.toISOString(), reason: next.reason, evaluatedAt, announced }
          : { ...identity, action: 'done', reason: next.reason, evaluatedAt, announced };
      },
      { onRetry },
    );
    if (announced.length > 0) logger.info('SLA thresholds announced', { tenantId: input.tenantId, incidentId: input.incidentId, announced });
    // A superseded run leaves the schedule to the newer arming; every other outcome arms the next wake-up or none.
    if (result.reason !== 'superseded') await deps.arm(identity, result.nextAt ? new Date(result.nextAt) : null);
    return result;
  };
}

/** The Lambda handler: the real data layer and the wall clock. */
const handle = createSlaEvaluator({
  now,
  getWatched: getWatchedIncident,
  listHistory: listWholeIncidentHistory,
  announce: announceSlaThreshold,
  escalate: recordEscalation,
  arm: (identity, at) => armSchedule(schedulerEscalationSchedules, identity, at),
});

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('sla/evaluate-sla', handle);
