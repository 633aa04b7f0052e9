/** `POST /incidents/{id}/cancel`. @module */
import type { z } from 'zod';
import { routes } from '../routes.js';
import { incidentActionHandler } from './incident-action.js';
import type { ReasonBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.cancelIncident, (body) => ({ action: 'cancel', ...(body as z.infer<typeof ReasonBody>) }));
