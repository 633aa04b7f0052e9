/**
 * The `EvaluateSla` task of `statemachines/incident-escalation.asl.json`:
 * re-reads the incident and its whole history, replays its SLA clocks,
 * announces the thresholds reached since the last look (`SlaWarning`,
 * `SlaBreached`, through the outbox, each at most once) and tells the
 * workflow when to look again (`wait` until `waitUntil`) or that it is
 * `done`. The decision itself is pure: `shared/domain/sla-escalation.ts`.
 *
 * Safe to run again at any time (a retry, a duplicate execution): it only
 * reads, and each announcement is conditional on not having been made.
 * @module
 */

import * as z from 'zod';
import { now } from '#shared/clock.js';
import { getIncident, listWholeIncidentHistory } from '#shared/data/incidents/incident-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import { type AnnouncedIncident, announceSlaThreshold, getSlaAnnouncements, recordEscalation } from '#shared/data/sla/sla-announcement-repository.js';
import { getEscalationPolicy, getSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { type EscalationPolicy, type EscalationStep, planEscalations } from '#shared/domain/sla/escalation-policy.js';
import { armingGeneration } from '#shared/domain/sla/sla-arming.js';
import { computeSlaClock } from '#shared/domain/sla/sla-clock.js';
import { decideEscalation, nextWithEscalations, type SlaAnnouncement } from '#shared/domain/sla/sla-escalation.js';
import { type AuditFacts, ledgerFromHistory } from '#shared/domain/sla/sla-ledger.js';
import { type SlaPolicy, type SlaSubject, selectSla } from '#shared/domain/sla/sla-policy.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

/** What the workflow passes in: its own input, or the previous evaluation's output (extra members are ignored). */
export const evaluateSlaInput = z.object({
  tenantId: z.string().min(1),
  incidentId: z.string().min(1),
  /** The incident version whose change armed this execution (`shared/domain/sla-arming.ts`); a newer one supersedes it. */
  generation: z.number().int().nonnegative(),
});
export type EvaluateSlaInput = z.output<typeof evaluateSlaInput>;

/** The task's answer; it is also the next evaluation's input, hence the echoed identity. */
export interface EvaluateSlaResult extends EvaluateSlaInput {
  readonly action: 'wait' | 'done';
  /** ISO-8601 UTC, with `wait` only: the Wait state's `TimestampPath`. */
  readonly waitUntil?: string;
  /**
   * `threshold`: the next threshold; `paused`: a re-check of a paused clock;
   * `escalation`: the next escalation step (or the end of quiet hours);
   * `settled`: no clock needs watching; `gone`: no such incident;
   * `superseded`: a later change armed a newer execution, which watches instead;
   * `no_sla`: no definition of the policy applies to the incident.
   */
  readonly reason: 'threshold' | 'paused' | 'escalation' | 'settled' | 'gone' | 'superseded' | 'no_sla';
  readonly evaluatedAt: string;
  /** Thresholds announced and escalation steps taken by this evaluation, e.g. `resolution:0.75`, `escalation:1:0` (level 1, first time). */
  readonly announced: readonly string[];
}

/** Everything the evaluation reads, writes or asks the time of: the data layer in Lambda, fakes in tests. */
export interface SlaEvaluatorDeps {
  now(): Date;
  getIncident(tenantId: string, incidentId: string): Promise<(AnnouncedIncident & SlaSubject) | null>;
  /** The whole audit trail, oldest first: the ledger's facts plus each entry's action and version (arming). */
  listHistory(tenantId: string, incidentId: string): Promise<readonly (AuditFacts & { readonly action: string; readonly version: number })[]>;
  getAnnounced(tenantId: string, incidentId: string): Promise<ReadonlySet<string>>;
  /** Throws `ConflictError` when the threshold was announced meanwhile. */
  announce(incident: AnnouncedIncident, announcement: SlaAnnouncement, now: Date): Promise<void>;
  slaPolicyFor(tenantId: string): Promise<SlaPolicy>;
  escalationPolicyFor(tenantId: string): Promise<EscalationPolicy>;
  /** Carries out one escalation step; throws `ConflictError` when it was taken or the incident changed meanwhile. */
  escalate(incident: AnnouncedIncident, step: EscalationStep, now: Date): Promise<void>;
}

/** The tenant's service-level policy (the standard SLA for every incident until an admin saves one). */
export async function slaPolicyFor(tenantId: string): Promise<SlaPolicy> {
  return (await getSlaPolicy(tenantId)).value;
}

/** The tenant's escalation policy (the seed levels until an admin saves one). */
export async function escalationPolicyFor(tenantId: string): Promise<EscalationPolicy> {
  return (await getEscalationPolicy(tenantId)).value;
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
    return retryOnConflict(
      async (): Promise<EvaluateSlaResult> => {
        const now = deps.now();
        const evaluatedAt = now.toISOString();
        const [incident, history, already, policy, escalation] = await Promise.all([
          deps.getIncident(input.tenantId, input.incidentId),
          deps.listHistory(input.tenantId, input.incidentId),
          deps.getAnnounced(input.tenantId, input.incidentId),
          deps.slaPolicyFor(input.tenantId),
          deps.escalationPolicyFor(input.tenantId),
        ]);
        if (!incident || history.length === 0) return { ...identity, action: 'done', reason: 'gone', evaluatedAt, announced };
        if (input.generation < armingGeneration(history)) return { ...identity, action: 'done', reason: 'superseded', evaluatedAt, announced };
        const applied = selectSla(policy, incident);
        if (!applied) return { ...identity, action: 'done', reason: 'no_sla', evaluatedAt, announced };
        const clocks = computeSlaClock(applied.definition, ledgerFromHistory(history), now);
        const decision = decideEscalation(clocks, already, applied.definition.calendar, now);
        const plan = planEscalations(escalation, clocks, already, applied.definition.calendar, now);
        for (const announcement of decision.announce) {
          await deps.announce(incident, announcement, now);
          announced.push(`${announcement.metric}:${announcement.fraction}`);
        }
        for (const step of plan.due) {
          await deps.escalate(incident, step, now);
          announced.push(`escalation:${step.levelIndex}:${step.repeat}`);
        }
        const next = nextWithEscalations(decision.next, plan.nextAt, now);
        if (announced.length > 0) logger.info('SLA thresholds announced', { tenantId: input.tenantId, incidentId: input.incidentId, announced });
        return next.action === 'wait'
          ? { ...identity, action: 'wait', waitUntil: next.waitUntil.toISOString(), reason: next.reason, evaluatedAt, announced }
          : { ...identity, action: 'done', reason: next.reason, evaluatedAt, announced };
      },
      { onRetry },
    );
  };
}

/** The Lambda handler: the real data layer and the wall clock. */
const handle = createSlaEvaluator({
  now,
  getIncident,
  listHistory: listWholeIncidentHistory,
  getAnnounced: getSlaAnnouncements,
  announce: announceSlaThreshold,
  slaPolicyFor,
  escalationPolicyFor,
  escalate: recordEscalation,
});

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('sla/evaluate-sla', handle);
