/** `POST /incidents/{id}/assign`: dispatch or reassign. @module */
import type { z } from 'zod';
import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { AssignBody } from '#shared/http/incidents/schemas.js';

export const handler = incidentActionHandler(routes.assignIncident, (body) => ({ action: 'assign', ...(body as z.infer<typeof AssignBody>) }));
