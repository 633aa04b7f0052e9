/** `GET /settings/sla`: the service-level policy in force. @module */

import type { Setting } from '../../shared/data/settings-repository.js';
import { getSlaPolicy } from '../../shared/data/sla-settings-repository.js';
import type { SlaPolicy } from '../../shared/domain/sla-policy.js';
import { type ApiResult, httpHandler } from '../../shared/http/http-handler.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export function slaPolicyResult(setting: Setting<SlaPolicy>): ApiResult {
  return {
    statusCode: 200,
    body: { ...setting.value, version: setting.version, updatedAt: setting.updatedAt, updatedBy: setting.updatedBy },
    version: setting.version,
  };
}

export const handler = httpHandler(routes.getSlaPolicy, async ({ actor }) => slaPolicyResult(await getSlaPolicy(actor.tenantId)));
