/** `PUT /settings/change-model`: tenant admins, under If-Match. @module */
import { CHANGE_MODEL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { replaceSetting } from '#shared/http/changes/change-settings-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.putChangeModelSettings, async ({ actor, body, ifMatch }) =>
  replaceSetting(CHANGE_MODEL_SETTING, actor, body.settings, ifMatch),
);
