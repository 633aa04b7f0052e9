/** `GET /problems/{id}`. @module */
import { getActionRecord } from '#shared/data/continuity/action-plan-repository.js';
import type { ProblemRecord } from '#shared/domain/continuity/action-plan.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';

export const handler = httpHandler(routes.getProblem, async ({ actor, params }) => {
  const problem = await getActionRecord<ProblemRecord>(actor.tenantId, 'problem', params.id);
  if (!problem) throw new NotFoundError(`Problem ${params.id} was not found.`);
  const { tenantId: _tenant, ...body } = problem;
  return { statusCode: 200, body, version: problem.version };
});
