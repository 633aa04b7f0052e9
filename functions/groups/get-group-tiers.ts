/** `GET /settings/group-tiers`: the tenant's support tiers in order. @module */
import { getGroupTiers } from '#shared/data/groups/group-repository.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';

export const handler = httpHandler(routes.getGroupTiers, async ({ actor }) => settingResult(await getGroupTiers(actor.tenantId)));
