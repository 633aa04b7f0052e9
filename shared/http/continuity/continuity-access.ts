/**
 * What the continuity handlers do the same way: find a plan or test of the
 * caller's tenant (anything else is not found) and present it: a plan with
 * the status it has now, a test without the workflow's task tokens.
 * @module
 */
import type * as z from 'zod';
import { now } from '#shared/clock.js';
import { getPlan, getTest, type PlanSummary } from '#shared/data/continuity/continuity-repository.js';
import { type ContinuityPlan, type ContinuityTest, effectiveStatus, type PlanStatus } from '#shared/domain/continuity/continuity-plan.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { PlanResource, TestResource } from './schemas.js';

export async function findPlan(actor: Actor, planId: string): Promise<ContinuityPlan> {
  const plan = await getPlan(actor.tenantId, planId);
  if (!plan) throw new NotFoundError(`Continuity plan ${planId} was not found.`);
  return plan;
}

export async function findTest(actor: Actor, testId: string): Promise<ContinuityTest> {
  const test = await getTest(actor.tenantId, testId);
  if (!test) throw new NotFoundError(`Continuity test ${testId} was not found.`);
  return test;
}

export function planResource(plan: ContinuityPlan, at = now().toISOString()): z.infer<typeof PlanResource> {
  const { tenantId: _tenant, updatedBy: _by, ...rest } = plan;
  return { ...rest, contacts: [...plan.contacts], steps: plan.steps as never, status: effectiveStatus(plan, at) };
}

export function planSummaryResource(summary: PlanSummary, at = now().toISOString()): Omit<PlanSummary, 'status'> & { status: PlanStatus } {
  return { ...summary, status: effectiveStatus(summary, at) };
}

export function testResource(test: ContinuityTest): z.infer<typeof TestResource> {
  const { tenantId: _tenant, awaiting, updatedAt: _updated, ...rest } = test;
  return {
    ...rest,
    steps: test.steps as never,
    results: [...test.results],
    failureReasons: [...test.failureReasons],
    awaitingConfirmation: Object.keys(awaiting),
  };
}
