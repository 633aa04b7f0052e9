/** `POST /problems`: raise a problem, optionally from incidents (idempotent with `Idempotency-Key`). @module */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { allocateProblemNumber, insertProblem } from '#shared/data/problems/problem-repository.js';
import { createProblem } from '#shared/domain/problems/problem.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { incidentsToLink, problemResult } from '#shared/services/problems/problem-access.js';

export const handler = httpHandler(routes.createProblem, async ({ actor, body, idempotency, path }) => {
  const { incidentIds, ...input } = body;
  const incidents = incidentIds ? await incidentsToLink(actor.tenantId, incidentIds) : [];
  const number = await allocateProblemNumber(actor.tenantId);
  const change = createProblem({ ...input, incidents }, { id: ulid(), number, tenantId: actor.tenantId }, { actor, now: now().toISOString() });
  const result = problemResult(change.problem, 201, { location: `${path}/${change.problem.id}` });
  const replay = await insertProblem(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
