/** `GET /incidents/{id}/problems`: the problems an incident is linked to (its back links). @module */
import { getIncident } from '#shared/data/incidents/incident-repository.js';
import { listProblemsOfIncident } from '#shared/data/problems/problem-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';

export const handler = httpHandler(routes.listIncidentProblems, async ({ actor, params, query }) => {
  if (!(await getIncident(actor.tenantId, params.id))) throw new NotFoundError(`Incident ${params.id} was not found.`);
  return { statusCode: 200, body: await listProblemsOfIncident(actor.tenantId, params.id, query.limit, query.cursor) };
});
