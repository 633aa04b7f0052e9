/** `POST /incidents/{id}/cancel`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { ReasonBody } from '#shared/http/incidents/schemas.js';

export const handler = incidentActionHandler(routes.cancelIncident, (body) => ({ action: 'cancel', ...(body as z.infer<typeof ReasonBody>) }));
