/** `GET /settings/change-calendar`. @module */
import { CHANGE_CALENDAR_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { readSetting } from '#shared/http/changes/change-settings-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChangeCalendarSettings, async ({ actor }) => readSetting(CHANGE_CALENDAR_SETTING, actor));
