/** `PUT /settings/change-calendar`: tenant admins, under If-Match. @module */
import { CHANGE_CALENDAR_SETTING } from '../../shared/data/change-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { replaceSetting } from './change-settings-access.js';

export const handler = httpHandler(routes.putChangeCalendarSettings, async ({ actor, body, ifMatch }) =>
  replaceSetting(CHANGE_CALENDAR_SETTING, actor, body.settings, ifMatch),
);
