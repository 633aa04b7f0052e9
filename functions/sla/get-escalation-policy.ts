/** `GET /settings/escalation`: the escalation policy in force. @module */

import { getEscalationPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';
import { slaRoutes as routes } from '#shared/http/sla/routes.js';

export const handler = httpHandler(routes.getEscalationPolicy, async ({ actor }) => settingResult(await getEscalationPolicy(actor.tenantId)));
