/** `GET /incidents/{id}`: by ULID or number. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident, incidentResult } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.getIncident, async ({ actor, params }) => incidentResult(await findVisibleIncident(actor, params.id), actor));
