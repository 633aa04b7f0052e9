/** `GET /settings/cmdb`: the tenant's CMDB settings. @module */
import { getCmdbSettings } from '../../shared/data/cmdb-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { settingResult } from '../../shared/http/setting-result.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.getCmdbSettings, async ({ actor }) => settingResult(await getCmdbSettings(actor.tenantId), 'settings'));
