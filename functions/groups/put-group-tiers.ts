/** `PUT /settings/group-tiers`: tenant admins replace the tiers. @module */
import { now } from '#shared/clock.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';
import { replaceTiers } from '#shared/services/groups/group-admin.js';

export const handler = httpHandler(routes.putGroupTiers, async ({ actor, body, ifMatch }) =>
  settingResult(await replaceTiers(actor, body, now().toISOString(), ifMatch)),
);
