/** `GET /incidents/{id}`: by ULID or number. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { findVisibleIncident, incidentResult } from './incident-access.js';
import { incidentRoutes as routes } from './incident-routes.js';

export const handler = httpHandler(routes.getIncident, async ({ actor, params }) => incidentResult(await findVisibleIncident(actor, params.id)));
