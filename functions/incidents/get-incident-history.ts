/** `GET /incidents/{id}/history`: the audit trail, oldest first. @module */

import { listIncidentHistory } from '#shared/data/incidents/incident-repository.js';
import { ForbiddenError } from '#shared/domain/errors.js';
import { isStaff } from '#shared/domain/roles.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.getIncidentHistory, async ({ actor, params, query }) => {
  const incident = await findVisibleIncident(actor, params.id);
  if (!isStaff(actor)) throw new ForbiddenError('The audit trail is for agents and above.');
  const page = await listIncidentHistory(actor.tenantId, incident.id, query.limit, query.cursor);
  return { statusCode: 200, body: { items: page.items, nextCursor: page.nextCursor } };
});
