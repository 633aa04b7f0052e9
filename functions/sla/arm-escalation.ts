/**
 * Target of the bus rule `ArmSlaEscalation`: starts the incident's
 * escalation workflow when an SLA attaches (creation) and re-arms it when
 * its due times may have moved earlier or a settled clock may run again
 * (priority change, resume, reopen; `shared/domain/sla-arming.ts`). The
 * execution is named after the incident and the armed version, so a
 * redelivered event starts nothing; the older execution ends by itself as
 * superseded at its next wake-up.
 * @module
 */
import * as z from 'zod';
import { escalationExecutionName } from '#shared/domain/sla/sla-arming.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { startExecution, stateMachineArn } from '#shared/workflows/step-functions.js';

/** The parts of an incident event this function reads. */
const armingEvent = z.object({
  'detail-type': z.string(),
  detail: z.object({ tenantId: z.string().min(1), incidentId: z.string().min(1), version: z.number().int().positive() }),
});

async function handle(event: unknown): Promise<{ executionArn: string; started: boolean }> {
  const { detail, 'detail-type': detailType } = armingEvent.parse(event);
  const input = { tenantId: detail.tenantId, incidentId: detail.incidentId, generation: detail.version };
  const started = await startExecution({
    stateMachineArn: stateMachineArn('incident-escalation'),
    name: escalationExecutionName(detail.incidentId, detail.version),
    input,
  });
  logger.info(started.started ? 'SLA escalation armed' : 'SLA escalation already armed for this change', { ...input, detailType, ...started });
  return started;
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('sla/arm-escalation', handle);
