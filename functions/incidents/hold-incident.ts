/** `POST /incidents/{id}/hold`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from './incident-action.js';
import { incidentRoutes as routes } from './incident-routes.js';
import type { HoldBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.holdIncident, (body) => ({ action: 'hold', ...(body as z.infer<typeof HoldBody>) }));
