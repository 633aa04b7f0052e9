/** `POST /incidents/{id}/resolve`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { ResolveBody } from '#shared/http/incidents/schemas.js';

export const handler = incidentActionHandler(routes.resolveIncident, (body) => ({ action: 'resolve', ...(body as z.infer<typeof ResolveBody>) }));
