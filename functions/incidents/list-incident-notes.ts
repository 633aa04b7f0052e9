/** `GET /incidents/{id}/notes`: requesters see comments only. @module */

import { listIncidentNotes } from '../../shared/data/incident-repository.js';
import { visibleNotes } from '../../shared/domain/incident.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { findVisibleIncident } from './incident-access.js';
import { incidentRoutes as routes } from './incident-routes.js';

export const handler = httpHandler(routes.listIncidentNotes, async ({ actor, params, query }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const page = await listIncidentNotes(actor.tenantId, incident.id, query.limit, query.cursor);
  return { statusCode: 200, body: { items: visibleNotes(actor, page.items), nextCursor: page.nextCursor } };
});
