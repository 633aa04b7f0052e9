/** `GET /settings/cmdb`: the tenant's CMDB settings. @module */
import { getCmdbSettings } from '#shared/data/cmdb/cmdb-settings-repository.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';

export const handler = httpHandler(routes.getCmdbSettings, async ({ actor }) => settingResult(await getCmdbSettings(actor.tenantId), 'settings'));
