/** `PUT /settings/change-model`: tenant admins, under If-Match. @module */
import { CHANGE_MODEL_SETTING } from '../../shared/data/change-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { replaceSetting } from './change-settings-access.js';

export const handler = httpHandler(routes.putChangeModelSettings, async ({ actor, body, ifMatch }) =>
  replaceSetting(CHANGE_MODEL_SETTING, actor, body.settings, ifMatch),
);
