/** `POST /incidents/{id}/close`: the requester's confirmation, or an agent's on their behalf. @module */
import type { z } from 'zod';
import { incidentActionHandler } from '#shared/http/incidents/incident-action.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import type { CloseBody } from '#shared/http/incidents/schemas.js';

export const handler = incidentActionHandler(routes.closeIncident, (body) => ({ action: 'close', ...((body ?? {}) as z.infer<typeof CloseBody>) }));
