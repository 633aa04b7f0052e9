/** `GET /groups`: a page of the tenant's groups, optionally one tier or status. @module */
import { listGroups } from '#shared/data/groups/group-repository.js';
import { groupResource } from '#shared/http/groups/group-access.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listGroups, async ({ actor, query }) => {
  const page = await listGroups(actor.tenantId, query.limit, query.cursor, { tier: query.tier, status: query.status });
  return { statusCode: 200, body: { items: page.items.map(groupResource), nextCursor: page.nextCursor } };
});
