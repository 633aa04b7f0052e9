/**
 * Target of the bus rule `RearmOnPolicyChange`: a tenant saved its SLA or
 * escalation policy, so every open incident's due times and levels may have
 * moved. For each open incident (the four open status queues, page by
 * page) the escalation schedule is armed again under the new policy
 * (`shared/services/sla/escalation-watch.ts`), or the workflow started at
 * once when a shortened target makes something due already, named after
 * the policy versions so a redelivered event starts nothing. Safe to run
 * again: arming the same instant again changes nothing.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { listIncidents } from '#shared/data/incidents/incident-repository.js';
import { getEscalationPolicy, getSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { OPEN_STATUSES } from '#shared/domain/incidents/incident-lifecycle.js';
import { type PolicyVersions, rearmedExecutionName } from '#shared/domain/sla/sla-arming.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { schedulerEscalationSchedules } from '#shared/services/sla/escalation-schedules.js';
import { armEscalation } from '#shared/services/sla/escalation-watch.js';
import { startExecution, stateMachineArn } from '#shared/workflows/step-functions.js';
import { slaReads } from './arm-escalation.js';

const policyEvent = z.object({
  'detail-type': z.enum(['SlaDefinitionUpdated', 'EscalationPolicyUpdated']),
  detail: z.object({ tenantId: z.string().min(1), version: z.number().int().positive() }),
});

/** Incidents re-armed at once: each costs a few reads and a Scheduler call or three. */
const PARALLEL = 10;
const PAGE = 100;

async function handle(event: unknown): Promise<{ rearmed: number; skipped?: string }> {
  const { 'detail-type': detailType, detail } = policyEvent.parse(event);
  const { tenantId } = detail;
  const [sla, escalation] = await Promise.all([getSlaPolicy(tenantId), getEscalationPolicy(tenantId)]);
  const current: PolicyVersions = { sla: sla.version, escalation: escalation.version };
  const changed = detailType === 'SlaDefinitionUpdated' ? 'sla' : 'escalation';
  // A later save is on its way with its own event: re-arming for this one would only be undone.
  if (current[changed] !== detail.version) return { rearmed: 0, skipped: `${changed} policy is at version ${current[changed]} already` };
  const machine = stateMachineArn('incident-escalation');
  const at = now();

  let rearmed = 0;
  for (const status of OPEN_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await listIncidents(tenantId, { queue: 'status', value: status, limit: PAGE, cursor });
      for (let i = 0; i < page.items.length; i += PARALLEL) {
        await Promise.all(
          page.items.slice(i, i + PARALLEL).map(({ id }) =>
            armEscalation(
              {
                reads: slaReads,
                schedules: schedulerEscalationSchedules,
                start: (identity) =>
                  startExecution({ stateMachineArn: machine, name: rearmedExecutionName(id, identity.generation, current), input: identity }),
              },
              { tenantId, incidentId: id },
              at,
            ),
          ),
        );
      }
      rearmed += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  logger.info('Open incidents re-armed after a policy change', { tenantId, detailType, version: detail.version, rearmed });
  return { rearmed };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('sla/rearm-open-incidents', handle);
