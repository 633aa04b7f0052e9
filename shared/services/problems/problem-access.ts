/**
 * What every problem handler does the same way: find the problem, present
 * it with the actions its status allows, change it on the one mutation
 * path, and resolve the incidents a request names.
 * @module
 */
import { getIncident } from '#shared/data/incidents/incident-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getProblem, getProblemByNumber, saveProblem } from '#shared/data/problems/problem-repository.js';
import { NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import { allowedProblemActions, type LinkedIncident, type Problem, type ProblemChange } from '#shared/domain/problems/problem.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';

/** The problem named by `idOrNumber` in the actor's tenant; another tenant's is simply not found. */
export async function findProblem(actor: Pick<Actor, 'tenantId'>, idOrNumber: string): Promise<Problem> {
  const problem = idOrNumber.startsWith('PRB') ? await getProblemByNumber(actor.tenantId, idOrNumber) : await getProblem(actor.tenantId, idOrNumber);
  if (!problem) throw new NotFoundError(`Problem ${idOrNumber} was not found.`);
  return problem;
}

export function problemResult(problem: Problem, statusCode = 200, headers?: Record<string, string>): ApiResult {
  const { tenantId: _tenant, ...body } = problem;
  return { statusCode, body: { ...body, allowedActions: allowedProblemActions(problem.status) }, version: problem.version, ...(headers ? { headers } : {}) };
}

/** Read, check If-Match, apply `change` (null: nothing to write), write conditionally on the version read. */
export async function changeProblem(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  change: (problem: Problem) => ProblemChange | null | Promise<ProblemChange | null>,
): Promise<Problem> {
  const { record, mutation } = await mutateRecord({
    load: () => findProblem(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: change,
    save: (result, problem, named) => saveProblem(result, problem, actor, named),
  });
  return mutation?.problem ?? record;
}

/** The incidents `ids` name, as links; one that does not exist in the tenant is a 422 naming it. */
export async function incidentsToLink(tenantId: string, ids: readonly string[]): Promise<Omit<LinkedIncident, 'linkedAt'>[]> {
  const found = await Promise.all([...new Set(ids)].map((id) => getIncident(tenantId, id)));
  const missing = [...new Set(ids)].filter((_, i) => !found[i]);
  if (missing.length > 0) throw new UnprocessableError('Some incidents do not exist.', { incidentIds: missing });
  return found.map((incident) => ({ id: incident?.id as string, number: incident?.number as string, ciId: incident?.ciId ?? null }));
}
