/** `GET /settings/cmdb`: the tenant's CMDB settings. @module */
import { getCmdbSettings } from '../../shared/data/cmdb-settings-repository.js';
import type { Setting } from '../../shared/data/settings-repository.js';
import type { CmdbSettings } from '../../shared/domain/cmdb-settings.js';
import { type ApiResult, httpHandler } from '../../shared/http/http-handler.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export function cmdbSettingsResult(setting: Setting<CmdbSettings>): ApiResult {
  return {
    statusCode: 200,
    body: { settings: setting.value, version: setting.version, updatedAt: setting.updatedAt, updatedBy: setting.updatedBy },
    version: setting.version,
  };
}

export const handler = httpHandler(routes.getCmdbSettings, async ({ actor }) => cmdbSettingsResult(await getCmdbSettings(actor.tenantId)));
