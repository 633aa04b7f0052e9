/** `PUT /settings/cmdb`: tenant admins replace the CMDB settings. @module */

import { now } from '#shared/clock.js';
import { getCmdbSettings, saveCmdbSettings } from '#shared/data/cmdb/cmdb-settings-repository.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';

export const handler = httpHandler(routes.putCmdbSettings, async ({ actor, body, ifMatch }) => {
  const current = await getCmdbSettings(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return settingResult(await saveCmdbSettings(actor, current, body.settings, now().toISOString(), ifMatch !== undefined), 'settings');
});
