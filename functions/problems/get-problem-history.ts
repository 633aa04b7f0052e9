/** `GET /problems/{id}/history`. @module */
import { listProblemHistory } from '#shared/data/problems/problem-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { findProblem } from '#shared/services/problems/problem-access.js';

export const handler = httpHandler(routes.getProblemHistory, async ({ actor, params, query }) => {
  const problem = await findProblem(actor, params.id);
  return { statusCode: 200, body: await listProblemHistory(actor.tenantId, problem.id, query.limit, query.cursor) };
});
