/** `POST /incidents/{id}/resume`. @module */
import { routes } from '../routes.js';
import { incidentActionHandler } from './incident-action.js';

export const handler = incidentActionHandler(routes.resumeIncident, () => ({ action: 'resume' }));
