/** `POST /incidents/{id}/start`. @module */
import { routes } from '../routes.js';
import { incidentActionHandler } from './incident-action.js';

export const handler = incidentActionHandler(routes.startIncident, () => ({ action: 'start' }));
