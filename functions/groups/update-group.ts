/** `PATCH /groups/{code}`: tenant admins or the group's manager change it. @module */
import { now } from '#shared/clock.js';
import { groupResource } from '#shared/http/groups/group-access.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { updateGroup } from '#shared/services/groups/group-admin.js';

export const handler = httpHandler(routes.updateGroup, async ({ actor, params, body, ifMatch }) => {
  const group = await updateGroup(actor, params.code, body, now().toISOString(), ifMatch);
  return { statusCode: 200, body: groupResource(group), version: group.version };
});
