/** `GET /settings/sla`: the service-level policy in force. @module */

import { getSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';
import { slaRoutes as routes } from '#shared/http/sla/routes.js';

export const handler = httpHandler(routes.getSlaPolicy, async ({ actor }) => settingResult(await getSlaPolicy(actor.tenantId)));
