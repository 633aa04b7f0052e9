/** `POST /incidents/{id}/resume`. @module */

import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = incidentActionHandler(routes.resumeIncident, () => ({ action: 'resume' }));
