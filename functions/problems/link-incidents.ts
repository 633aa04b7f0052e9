/** `POST /problems/{id}/incidents`: link incidents both ways (If-Match). @module */
import { now } from '#shared/clock.js';
import { linkIncidents } from '#shared/domain/problems/problem.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { changeProblem, incidentsToLink, problemResult } from '#shared/services/problems/problem-access.js';

export const handler = httpHandler(routes.linkProblemIncidents, async ({ actor, params, body, ifMatch }) => {
  const incidents = await incidentsToLink(actor.tenantId, body.incidentIds);
  const problem = await changeProblem(actor, params.id, ifMatch, (current) => linkIncidents(current, incidents, { actor, now: now().toISOString() }));
  return problemResult(problem);
});
