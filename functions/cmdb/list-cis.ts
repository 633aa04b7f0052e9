/** `GET /cis`: all CIs, a class or an owner group, by class then name. @module */
import { listCis } from '#shared/data/cmdb/ci-repository.js';
import { ciSummaryResource } from '#shared/http/cmdb/impact-resource.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listCis, async ({ actor, query }) => {
  const page = await listCis(actor.tenantId, { class: query.class, ownerGroup: query.ownerGroup, limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: { items: page.items.map(ciSummaryResource), nextCursor: page.nextCursor } };
});
