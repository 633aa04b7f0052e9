/** `POST /groups/{code}/retire`: the group takes no more dispatches. @module */
import { now } from '#shared/clock.js';
import { groupResource } from '#shared/http/groups/group-access.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { retire } from '#shared/services/groups/group-admin.js';

export const handler = httpHandler(routes.retireGroup, async ({ actor, params, ifMatch }) => {
  const group = await retire(actor, params.code, now().toISOString(), ifMatch);
  return { statusCode: 200, body: groupResource(group), version: group.version };
});
