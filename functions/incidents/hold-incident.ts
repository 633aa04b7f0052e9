/** `POST /incidents/{id}/hold`. @module */
import type { z } from 'zod';
import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { HoldBody } from '#shared/http/incidents/schemas.js';

export const handler = incidentActionHandler(routes.holdIncident, (body) => ({ action: 'hold', ...(body as z.infer<typeof HoldBody>) }));
