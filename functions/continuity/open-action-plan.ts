/**
 * The `OpenActionPlan` task of a failed test: a problem record when a step
 * exposed a defect, an improvement item (owner, goal, deadline, expected
 * result) pointing at it, and `ContinuityActionPlanOpened` on the test.
 * Ids derive from the test's, so a retried task finds what an earlier
 * attempt wrote instead of opening a second action plan.
 * @module
 */
import { now } from '#shared/clock.js';
import { allocateRecordNumber, getActionRecord, insertActionRecord } from '#shared/data/continuity/action-plan-repository.js';
import { saveTest } from '#shared/data/continuity/continuity-repository.js';
import { allocateProblemNumber, getProblem, insertProblem } from '#shared/data/problems/problem-repository.js';
import { type ImprovementItem, improvementFromTest, problemFromTest } from '#shared/domain/continuity/action-plan.js';
import { judgeTest } from '#shared/domain/continuity/continuity-plan.js';
import { ConflictError } from '#shared/domain/errors.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { engineOf, loadPlan, loadTest, TestIdentity } from '#shared/services/continuity/workflow-task.js';

/** Creates `record` unless an earlier attempt did (then that one is kept). */
async function openOnce<T extends { id: string }>(record: T, insert: () => Promise<unknown>, find: () => Promise<T | null>): Promise<T> {
  try {
    await insert();
    return record;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await find();
    if (!existing) throw error;
    return existing;
  }
}

async function handle(event: unknown): Promise<{ improvementItemId: string; problemId: string | null }> {
  const { tenantId, testId } = TestIdentity.parse(event);
  const test = await loadTest(tenantId, testId);
  if (test.improvementItemId) return { improvementItemId: test.improvementItemId, problemId: test.problemId };
  if (test.status !== 'failed') throw new ConflictError(`Continuity test ${testId} did not fail; it needs no action plan.`);
  const plan = await loadPlan(tenantId, test.planId);
  const actor = engineOf(tenantId);
  const verdict = judgeTest(test, test.results, test.completedAt ?? now().toISOString());
  const ctx = { now: now().toISOString(), createdBy: actor.userId };

  const problemDraft = problemFromTest(test, plan, verdict, { id: `${test.id}-PRB`, number: '' }, ctx);
  const problem = problemDraft
    ? await openOnce(
        problemDraft.problem,
        async () => {
          const number = await allocateProblemNumber(tenantId);
          return insertProblem({ ...problemDraft, problem: { ...problemDraft.problem, number } }, actor);
        },
        () => getProblem(tenantId, problemDraft.problem.id),
      )
    : null;
  const itemDraft = improvementFromTest(test, plan, verdict, problem?.id ?? null, { id: `${test.id}-IMP`, number: '' }, ctx);
  const item = await openOnce(
    itemDraft,
    async () => insertActionRecord('improvement', { ...itemDraft, number: await allocateRecordNumber(tenantId, 'improvement') }, actor),
    () => getActionRecord<ImprovementItem>(tenantId, 'improvement', itemDraft.id),
  );

  await saveTest(
    { ...test, improvementItemId: item.id, problemId: problem?.id ?? null, updatedAt: ctx.now, version: test.version + 1 },
    test,
    actor,
    'ContinuityActionPlanOpened',
    { facts: { improvementItemId: item.id, problemId: problem?.id ?? null } },
  );
  return { improvementItemId: item.id, problemId: problem?.id ?? null };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/open-action-plan', handle);
