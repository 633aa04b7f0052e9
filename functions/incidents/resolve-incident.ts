/** `POST /incidents/{id}/resolve`. @module */
import type { z } from 'zod';
import { routes } from '../routes.js';
import { incidentActionHandler } from './incident-action.js';
import type { ResolveBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.resolveIncident, (body) => ({ action: 'resolve', ...(body as z.infer<typeof ResolveBody>) }));
