/**
 * `GET /services`: the published catalogue. One Query on the business
 * service class (GSI2), then one BatchGetItem for the page's records. A
 * page holds the published services among `limit` business services, so
 * it may be shorter than `limit` while `nextCursor` still leads on.
 * @module
 */
import { getCis, listCis } from '#shared/data/cmdb/ci-repository.js';
import { isStaff } from '#shared/domain/roles.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { isPublished, serviceResource } from '#shared/http/cmdb/service-resource.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listServices, async ({ actor, query }) => {
  const page = await listCis(actor.tenantId, { class: 'business_service', limit: query.limit, cursor: query.cursor });
  const records = await getCis(
    actor.tenantId,
    page.items.map((item) => item.id),
  );
  const everything = query.all && isStaff(actor);
  const items = page.items.flatMap((item) => {
    const ci = records.get(item.id);
    return ci && (everything || isPublished(ci)) ? [serviceResource(ci)] : [];
  });
  return { statusCode: 200, body: { items, nextCursor: page.nextCursor } };
});
