/** `POST /incidents`: record an incident (idempotent with `Idempotency-Key`); the answer carries knowledge suggestions. @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertIncident } from '#shared/data/incidents/incident-repository.js';
import { allocateIncidentNumber } from '#shared/data/incidents/incident-settings-repository.js';
import { createIncident } from '#shared/domain/incidents/incident.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import { suggestionsOrNone } from '#shared/services/knowledge/search.js';

export const handler = httpHandler(routes.createIncident, async ({ actor, body, idempotency, path }) => {
  // Suggestions read while the number is taken: the create waits for the slower of the two, not both.
  const [{ number, matrix }, suggestions] = await Promise.all([
    allocateIncidentNumber(actor.tenantId),
    suggestionsOrNone(actor, { title: body.title, description: body.description, ciId: body.ciId ?? null }),
  ]);
  const change = createIncident(body, { id: ulid(), number }, { actor, now: now().toISOString(), matrix });
  const created = incidentResult(change.incident, actor, 201, { location: `${path}/${change.incident.id}` });
  const result = { ...created, body: { ...(created.body as object), suggestions } };
  const replay = await insertIncident(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
