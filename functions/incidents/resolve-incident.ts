/** `POST /incidents/{id}/resolve`, optionally with the article or known error that resolved it. @module */
import type { z } from 'zod';
import * as clock from '#shared/clock.js';
import { applyIncidentAction } from '#shared/domain/incidents/incident.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeIncident, incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { ResolveBody } from '#shared/http/incidents/schemas.js';
import { resolveKnowledgeReference } from '#shared/services/knowledge/knowledge-reference.js';

export const handler = httpHandler(routes.resolveIncident, async ({ actor, params, body: raw, ifMatch }) => {
  // The action routes share one builder whose body type is open; this one's schema is ResolveBody.
  const body = raw as z.infer<typeof ResolveBody>;
  const now = clock.now().toISOString();
  // The knowledge named is checked once the incident is found: whoever may not see the incident hears 404, nothing more.
  const incident = await changeIncident(actor, params.id, ifMatch, async (current) => {
    const knowledge = body.knowledge ? await resolveKnowledgeReference(actor, body.knowledge) : null;
    return applyIncidentAction(current, { action: 'resolve', code: body.code, notes: body.notes, knowledge }, { actor, now });
  });
  return incidentResult(incident, actor);
});
