/** `GET /settings/change-calendar`. @module */
import { CHANGE_CALENDAR_SETTING } from '../../shared/data/change-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { readSetting } from './change-settings-access.js';

export const handler = httpHandler(routes.getChangeCalendarSettings, async ({ actor }) => readSetting(CHANGE_CALENDAR_SETTING, actor));
