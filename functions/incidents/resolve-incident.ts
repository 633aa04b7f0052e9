/** `POST /incidents/{id}/resolve`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';
import type { ResolveBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.resolveIncident, (body) => ({ action: 'resolve', ...(body as z.infer<typeof ResolveBody>) }));
