/** `GET /settings/change-model`. @module */
import { CHANGE_MODEL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { readSetting } from '#shared/http/changes/change-settings-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChangeModelSettings, async ({ actor }) => readSetting(CHANGE_MODEL_SETTING, actor));
