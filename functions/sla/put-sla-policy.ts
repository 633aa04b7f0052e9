/** `PUT /settings/sla`: tenant admins replace the service-level policy; every clock is recomputed under it. @module */
import { now } from '#shared/clock.js';
import { getSlaPolicy, saveSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';
import { slaRoutes as routes } from '#shared/http/sla/routes.js';

export const handler = httpHandler(routes.putSlaPolicy, async ({ actor, body, ifMatch }) => {
  const current = await getSlaPolicy(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return settingResult(await saveSlaPolicy(actor, current, body, now().toISOString(), ifMatch !== undefined));
});
