/** `PUT /settings/cmdb`: tenant admins replace the CMDB settings. @module */
import { getCmdbSettings, saveCmdbSettings } from '../../shared/data/cmdb-settings-repository.js';
import { checkIfMatch, httpHandler } from '../../shared/http/http-handler.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';
import { cmdbSettingsResult } from './get-cmdb-settings.js';

export const handler = httpHandler(routes.putCmdbSettings, async ({ actor, body, ifMatch }) => {
  const current = await getCmdbSettings(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return cmdbSettingsResult(await saveCmdbSettings(actor, current, body.settings, new Date().toISOString(), ifMatch !== undefined));
});
