/** `GET /settings/sla`: the SLA definition in force. @module */

import type { Setting } from '../../shared/data/settings-repository.js';
import { getSlaDefinition } from '../../shared/data/sla-settings-repository.js';
import type { SlaDefinition } from '../../shared/domain/sla-definition.js';
import { type ApiResult, httpHandler } from '../../shared/http/http-handler.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export function slaDefinitionResult(setting: Setting<SlaDefinition>): ApiResult {
  return {
    statusCode: 200,
    body: { definition: setting.value, version: setting.version, updatedAt: setting.updatedAt, updatedBy: setting.updatedBy },
    version: setting.version,
  };
}

export const handler = httpHandler(routes.getSlaDefinition, async ({ actor }) => slaDefinitionResult(await getSlaDefinition(actor.tenantId)));
