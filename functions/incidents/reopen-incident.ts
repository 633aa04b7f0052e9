/** `POST /incidents/{id}/reopen`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';
import type { ReasonBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.reopenIncident, (body) => ({ action: 'reopen', ...(body as z.infer<typeof ReasonBody>) }));
