/**
 * Target of the bus rule `ArmSlaEscalation`: after each incident change
 * that can move its next SLA wake-up (creation, a change of priority,
 * service, category or customer, a status change: `shared/domain/sla/sla-arming.ts`),
 * computes that wake-up from the SLA domain and arms the incident's ONE
 * one-off schedule for it, which starts the escalation workflow then; a
 * resolved or cancelled incident's schedule is removed, so an incident
 * resolved before its first threshold never starts the workflow. When a
 * threshold or step is due already (a raised priority, a reopened breach),
 * the workflow starts at once, named after the incident and the change's
 * version, so a redelivered event starts nothing. Everything it does is
 * idempotent (`shared/services/sla/escalation-watch.ts`).
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { listWholeIncidentHistory } from '#shared/data/incidents/incident-repository.js';
import { getWatchedIncident } from '#shared/data/sla/sla-watch-repository.js';
import { escalationExecutionName } from '#shared/domain/sla/sla-arming.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { schedulerEscalationSchedules } from '#shared/services/sla/escalation-schedules.js';
import { type ArmingOutcome, armEscalation, type SlaReads } from '#shared/services/sla/escalation-watch.js';
import { startExecution, stateMachineArn } from '#shared/workflows/step-functions.js';

/** The parts of an incident event this function reads. */
const watchEvent = z.object({
  'detail-type': z.string(),
  detail: z.object({ tenantId: z.string().min(1), incidentId: z.string().min(1), version: z.number().int().positive() }),
});

/** What the arming reads: the data layer. */
export const slaReads: SlaReads = { getWatched: getWatchedIncident, listHistory: listWholeIncidentHistory };

async function handle(event: unknown): Promise<ArmingOutcome> {
  const { detail, 'detail-type': detailType } = watchEvent.parse(event);
  const outcome = await armEscalation(
    {
      reads: slaReads,
      schedules: schedulerEscalationSchedules,
      start: (identity) =>
        startExecution({
          stateMachineArn: stateMachineArn('incident-escalation'),
          name: escalationExecutionName(detail.incidentId, detail.version),
          input: identity,
        }),
    },
    { tenantId: detail.tenantId, incidentId: detail.incidentId, created: detailType === 'IncidentCreated' },
    now(),
  );
  logger.info('SLA escalation armed', { tenantId: detail.tenantId, incidentId: detail.incidentId, version: detail.version, detailType, ...outcome });
  return outcome;
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('sla/arm-escalation', handle);
