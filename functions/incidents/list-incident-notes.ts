/** `GET /incidents/{id}/notes`: requesters see comments only. @module */

import { listIncidentNotes } from '#shared/data/incidents/incident-repository.js';
import { visibleNotes } from '#shared/domain/incidents/incident.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.listIncidentNotes, async ({ actor, params, query }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const page = await listIncidentNotes(actor.tenantId, incident.id, query.limit, query.cursor);
  return { statusCode: 200, body: { items: visibleNotes(actor, page.items), nextCursor: page.nextCursor } };
});
