/** `GET /settings/priority-matrix`. @module */

import { getPriorityMatrix, type PriorityMatrixSetting } from '#shared/data/incidents/incident-settings-repository.js';
import { PRIORITY_LABELS } from '#shared/domain/incidents/priority-matrix.js';
import type { ApiResult } from '#shared/http/http-handler.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export function priorityMatrixResult(setting: PriorityMatrixSetting): ApiResult {
  return { statusCode: 200, body: { ...setting, labels: PRIORITY_LABELS }, version: setting.version };
}

export const handler = httpHandler(routes.getPriorityMatrix, async ({ actor }) => priorityMatrixResult(await getPriorityMatrix(actor.tenantId)));
