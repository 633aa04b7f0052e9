/** `GET /settings/escalation`: the escalation policy in force. @module */

import type { Setting } from '../../shared/data/settings-repository.js';
import { getEscalationPolicy } from '../../shared/data/sla-settings-repository.js';
import type { EscalationPolicy } from '../../shared/domain/escalation-policy.js';
import { type ApiResult, httpHandler } from '../../shared/http/http-handler.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export function escalationPolicyResult(setting: Setting<EscalationPolicy>): ApiResult {
  return {
    statusCode: 200,
    body: { ...setting.value, version: setting.version, updatedAt: setting.updatedAt, updatedBy: setting.updatedBy },
    version: setting.version,
  };
}

export const handler = httpHandler(routes.getEscalationPolicy, async ({ actor }) => escalationPolicyResult(await getEscalationPolicy(actor.tenantId)));
