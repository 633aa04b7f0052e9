/**
 * Target of the bus rule `RequireContinuityRetest`: a major change
 * (emergency, or high risk) was implemented on business services, so each
 * of their continuity plans must be retested (`ContinuityPlanRetestRequired`,
 * due now). A redelivered event changes nothing (`requireRetest` answers
 * null for a plan this change already flagged).
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { getPlan, planIdsOfService, savePlan } from '#shared/data/continuity/continuity-repository.js';
import { isMajorChange, requireRetest } from '#shared/domain/continuity/continuity-plan.js';
import type { Actor } from '#shared/domain/roles.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

/** The parts of a change event this function reads (source `itsm.changes`, owned by the change practice). */
const changeEvent = z.object({
  detail: z.object({
    tenantId: z.string().min(1),
    changeId: z.string().min(1),
    number: z.string().min(1),
    type: z.enum(['standard', 'normal', 'emergency']),
    risk: z.enum(['low', 'medium', 'high']).nullable(),
    serviceIds: z.array(z.string().min(1)).default([]),
  }),
});

/** Who flags the plans, in their audit trail and events. */
const CHANGE_WATCH: Omit<Actor, 'tenantId'> = { userId: 'continuity-changes', roles: ['manager'] };

async function handle(event: unknown): Promise<{ flagged: string[] }> {
  const { detail } = changeEvent.parse(event);
  if (!isMajorChange(detail)) return { flagged: [] };
  const actor: Actor = { tenantId: detail.tenantId, ...CHANGE_WATCH };
  const planIds = (await Promise.all([...new Set(detail.serviceIds)].map((serviceId) => planIdsOfService(detail.tenantId, serviceId)))).flat();
  const flagged: string[] = [];
  for (const planId of planIds) {
    const plan = await getPlan(detail.tenantId, planId);
    const change = plan && requireRetest(plan, detail, { actor, now: now().toISOString() });
    if (!plan || !change) continue;
    // Throws on a concurrent change of the plan: EventBridge retries the whole event, and flagged plans are skipped then.
    await savePlan(change, actor, plan.version, false);
    flagged.push(planId);
  }
  logger.info('Continuity plans flagged for retest', { tenantId: detail.tenantId, changeId: detail.changeId, flagged });
  return { flagged };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/require-retest', handle);
