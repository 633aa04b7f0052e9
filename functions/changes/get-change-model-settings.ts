/** `GET /settings/change-model`. @module */
import { CHANGE_MODEL_SETTING } from '../../shared/data/change-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { readSetting } from './change-settings-access.js';

export const handler = httpHandler(routes.getChangeModelSettings, async ({ actor }) => readSetting(CHANGE_MODEL_SETTING, actor));
