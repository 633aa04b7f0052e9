/** `GET /groups/{code}`. @module */
import { groupResource } from '#shared/http/groups/group-access.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findGroup } from '#shared/services/groups/group-admin.js';

export const handler = httpHandler(routes.getGroup, async ({ actor, params }) => {
  const group = await findGroup(actor.tenantId, params.code);
  return { statusCode: 200, body: groupResource(group), version: group.version };
});
