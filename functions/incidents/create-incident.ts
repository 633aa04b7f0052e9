/** `POST /incidents`: record an incident (idempotent with `Idempotency-Key`); the answer carries knowledge suggestions. @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertIncident } from '#shared/data/incidents/incident-repository.js';
import { allocateIncidentNumber } from '#shared/data/incidents/incident-settings-repository.js';
import { createIncident, groupAtCreation } from '#shared/domain/incidents/incident.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import { requireActiveGroup } from '#shared/services/groups/group-dispatch.js';
import { suggestionsOrNone } from '#shared/services/knowledge/search.js';

export const handler = httpHandler(routes.createIncident, async ({ actor, body, idempotency, path }) => {
  const group = groupAtCreation(body, actor);
  // Suggestions read while the group is checked and the number taken: the create waits for the slower path, not all.
  // The group check comes before the number: a refused create must not use up a number.
  const [{ number, matrix }, suggestions] = await Promise.all([
    (group === null ? Promise.resolve() : requireActiveGroup(actor.tenantId, group, 'body.assignmentGroup')).then(() => allocateIncidentNumber(actor.tenantId)),
    suggestionsOrNone(actor, { title: body.title, description: body.description, ciId: body.ciId ?? null }),
  ]);
  const change = createIncident(body, { id: ulid(), number }, { actor, now: now().toISOString(), matrix });
  const created = incidentResult(change.incident, actor, 201, { location: `${path}/${change.incident.id}` });
  const result = { ...created, body: { ...(created.body as object), suggestions } };
  const replay = await insertIncident(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
