/**
 * The action plan a failed continuity test opens: an improvement item
 * (owner, goal, deadline, expected result) and, when a step exposed a
 * defect, a problem (the problems practice's record, `source.kind`
 * `continuity_test`).
 * @module
 */
import { createProblem, type ProblemChange } from '#shared/domain/problems/problem.js';
import type { ContinuityPlan, ContinuityTest, TestVerdict } from './continuity-plan.js';

/** How long an action plan has to close the gap a failed test found. */
export const ACTION_PLAN_DAYS = 30;

export interface ImprovementItem {
  readonly tenantId: string;
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly status: 'open' | 'done';
  /** The first contact of the plan's escalation list, or the plan's author. */
  readonly owner: string;
  readonly goal: string;
  readonly deadline: string;
  readonly expectedResult: string;
  readonly source: { readonly kind: 'continuity_test'; readonly testId: string; readonly planId: string };
  readonly serviceId: string;
  readonly problemId: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly version: number;
}

export interface ActionPlanContext {
  readonly now: string;
  readonly createdBy: string;
}

/**
 * The problem of the defects a failed test exposed, in the problems
 * practice's model (source `continuity_test`); `null` when no step failed
 * (only time or confirmation missed).
 */
export function problemFromTest(
  test: Pick<ContinuityTest, 'tenantId' | 'id' | 'serviceId'>,
  plan: Pick<ContinuityPlan, 'name'>,
  verdict: Pick<TestVerdict, 'defectSteps' | 'failureReasons'>,
  ids: { id: string; number: string },
  ctx: ActionPlanContext,
): ProblemChange | null {
  if (verdict.defectSteps.length === 0) return null;
  return createProblem(
    {
      title: `Recovery defect in "${plan.name}": step ${verdict.defectSteps.join(', ')}`,
      description: verdict.failureReasons.join('; '),
      serviceId: test.serviceId,
      source: { kind: 'continuity_test', testId: test.id, stepIds: [...verdict.defectSteps] },
    },
    { ...ids, tenantId: test.tenantId },
    { actor: { userId: ctx.createdBy }, now: ctx.now },
  );
}

/** The improvement item of a failed test: close every gap before the deadline and pass a retest. */
export function improvementFromTest(
  test: Pick<ContinuityTest, 'tenantId' | 'id' | 'planId' | 'serviceId'>,
  plan: Pick<ContinuityPlan, 'name' | 'contacts' | 'createdBy' | 'rtoMinutes' | 'rpoMinutes'>,
  verdict: Pick<TestVerdict, 'failureReasons'>,
  problemId: string | null,
  ids: { id: string; number: string },
  ctx: ActionPlanContext,
): ImprovementItem {
  const owner = plan.contacts[0]?.email ?? plan.contacts[0]?.name ?? plan.createdBy;
  return {
    tenantId: test.tenantId,
    ...ids,
    title: `Continuity test of "${plan.name}" failed`,
    status: 'open',
    owner,
    goal: `Remove the causes: ${verdict.failureReasons.join('; ')}`,
    deadline: new Date(Date.parse(ctx.now) + ACTION_PLAN_DAYS * 86_400_000).toISOString(),
    expectedResult: `A retest of "${plan.name}" passes every step within RTO ${plan.rtoMinutes} min and RPO ${plan.rpoMinutes} min.`,
    source: { kind: 'continuity_test', testId: test.id, planId: test.planId },
    serviceId: test.serviceId,
    problemId,
    createdAt: ctx.now,
    createdBy: ctx.createdBy,
    version: 1,
  };
}
