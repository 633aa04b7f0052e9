/** `GET /incidents/{id}/problems`: the problems an incident is linked to (its back links). @module */
import { listProblemsOfIncident } from '#shared/data/problems/problem-repository.js';
import { ForbiddenError } from '#shared/domain/errors.js';
import { isStaff } from '#shared/domain/roles.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';

export const handler = httpHandler(routes.listIncidentProblems, async ({ actor, params, query }) => {
  // Every role on an incident: a requester who may see the incident hears 403, one who may not 404.
  await findVisibleIncident(actor, params.id);
  if (!isStaff(actor)) throw new ForbiddenError('Problem records are for the service desk.');
  return { statusCode: 200, body: await listProblemsOfIncident(actor.tenantId, params.id, query.limit, query.cursor) };
});
