/** `POST /incidents/{id}/reopen`. @module */
import type { z } from 'zod';
import { routes } from '../routes.js';
import { incidentActionHandler } from './incident-action.js';
import type { ReasonBody } from './incident-schemas.js';

export const handler = incidentActionHandler(routes.reopenIncident, (body) => ({ action: 'reopen', ...(body as z.infer<typeof ReasonBody>) }));
