/** `POST /incidents/{id}/start`. @module */

import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = incidentActionHandler(routes.startIncident, () => ({ action: 'start' }));
