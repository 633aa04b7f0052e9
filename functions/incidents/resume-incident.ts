/** `POST /incidents/{id}/resume`. @module */

import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';

export const handler = incidentActionHandler(routes.resumeIncident, () => ({ action: 'resume' }));
