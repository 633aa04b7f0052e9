/** `POST /problems/{id}/incidents`: link incidents both ways (If-Match). @module */
import { now } from '#shared/clock.js';
import { linkIncidents } from '#shared/domain/problems/problem.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { changeProblem, incidentsToLink, problemResult } from '#shared/services/problems/problem-access.js';

export const handler = httpHandler(routes.linkProblemIncidents, async ({ actor, params, body, ifMatch }) => {
  // The incidents are checked once the problem is found, so an intruder hears 404 whatever the body names.
  const problem = await changeProblem(actor, params.id, ifMatch, async (current) =>
    linkIncidents(current, await incidentsToLink(actor.tenantId, body.incidentIds), { actor, now: now().toISOString() }),
  );
  return problemResult(problem);
});
