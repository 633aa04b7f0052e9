/** `PUT /settings/priority-matrix`: tenant admins only. @module */

import { now } from '#shared/clock.js';
import { getPriorityMatrix, savePriorityMatrix } from '#shared/data/incidents/incident-settings-repository.js';
import { assertValidMatrix } from '#shared/domain/incidents/priority-matrix.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';
import { priorityMatrixResult } from './get-priority-matrix.js';

export const handler = httpHandler(routes.putPriorityMatrix, async ({ actor, body, ifMatch }) => {
  assertValidMatrix(body.matrix);
  const current = await getPriorityMatrix(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  const saved = await savePriorityMatrix(actor, current, body.matrix, now().toISOString(), ifMatch !== undefined);
  return priorityMatrixResult(saved);
});
