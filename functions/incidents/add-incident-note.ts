/** `POST /incidents/{id}/notes`: a work note or a customer-visible comment (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { saveIncident } from '#shared/data/incidents/incident-repository.js';
import { addNote } from '#shared/domain/incidents/incident.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.addIncidentNote, async ({ actor, params, body, idempotency }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const change = addNote(incident, body, ulid(), { actor, now: now().toISOString() });
  const result = { statusCode: 201, body: change.note, headers: { location: `/incidents/${incident.id}/notes/${change.note.id}` } };
  // Notes take no If-Match (adding one cannot lose anybody's edit), but the write is still conditional on the version read.
  const replay = await saveIncident(change, actor, incident.version, false, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
