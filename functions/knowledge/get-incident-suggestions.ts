/** `GET /incidents/{id}/suggestions`: known errors and articles for the incident the caller may see. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { suggestFor } from '#shared/services/knowledge/search.js';

export const handler = httpHandler(routes.getIncidentSuggestions, async ({ actor, params }) => ({
  statusCode: 200,
  body: await suggestFor(actor, await findVisibleIncident(actor, params.id)),
}));
