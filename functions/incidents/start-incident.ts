/** `POST /incidents/{id}/start`. @module */

import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';

export const handler = incidentActionHandler(routes.startIncident, () => ({ action: 'start' }));
