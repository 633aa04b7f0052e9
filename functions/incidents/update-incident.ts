/** `PATCH /incidents/{id}`: edit fields; priority follows impact and urgency. @module */

import * as clock from '#shared/clock.js';
import { getPriorityMatrix } from '#shared/data/incidents/incident-settings-repository.js';
import { patchReprioritises, updateIncident } from '#shared/domain/incidents/incident.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeIncident, incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.updateIncident, async ({ actor, params, body, ifMatch }) => {
  const now = clock.now().toISOString();
  const incident = await changeIncident(actor, params.id, ifMatch, async (current) => {
    const matrix = patchReprioritises(current, body) ? (await getPriorityMatrix(actor.tenantId)).matrix : null;
    return updateIncident(current, body, { actor, now, matrix });
  });
  return incidentResult(incident, actor);
});
