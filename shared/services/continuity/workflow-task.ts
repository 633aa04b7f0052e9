/**
 * What the continuity test workflow's tasks share: their input identity,
 * the test they work on, and who they act as. Tasks throw on failure, so
 * the state machine's Retry and Catch see the error by its class name.
 * @module
 */
import * as z from 'zod';
import { getPlan, getTest } from '#shared/data/continuity/continuity-repository.js';
import { CONTINUITY_ENGINE, type ContinuityPlan, type ContinuityTest } from '#shared/domain/continuity/continuity-plan.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';

export const TestIdentity = z.object({ tenantId: z.string().min(1), testId: z.string().min(1) });

/** The recovery step as the Map hands it to a task. */
export const TaskStep = z.looseObject({ id: z.string().min(1), kind: z.enum(['probe', 'function', 'manual']) });

export async function loadTest(tenantId: string, testId: string): Promise<ContinuityTest> {
  const test = await getTest(tenantId, testId);
  if (!test) throw new NotFoundError(`Continuity test ${testId} was not found.`);
  return test;
}

export async function loadPlan(tenantId: string, planId: string): Promise<ContinuityPlan> {
  const plan = await getPlan(tenantId, planId);
  if (!plan) throw new NotFoundError(`Continuity plan ${planId} was not found.`);
  return plan;
}

export function engineOf(tenantId: string): Actor {
  return { tenantId, ...CONTINUITY_ENGINE };
}
