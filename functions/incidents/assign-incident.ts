/** `POST /incidents/{id}/assign`: dispatch or reassign. @module */
import type { z } from 'zod';
import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';
import type { AssignBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.assignIncident, (body) => ({ action: 'assign', ...(body as z.infer<typeof AssignBody>) }));
