/** `POST /incidents`: record an incident (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertIncident } from '#shared/data/incidents/incident-repository.js';
import { allocateIncidentNumber } from '#shared/data/incidents/incident-settings-repository.js';
import { createIncident } from '#shared/domain/incidents/incident.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.createIncident, async ({ actor, body, idempotency, path }) => {
  const { number, matrix } = await allocateIncidentNumber(actor.tenantId);
  const change = createIncident(body, { id: ulid(), number }, { actor, now: now().toISOString(), matrix });
  const result = incidentResult(change.incident, actor, 201, { location: `${path}/${change.incident.id}` });
  const replay = await insertIncident(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
