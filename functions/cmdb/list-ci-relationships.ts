/** `GET /cis/{id}/relationships`: both directions, each named from this CI. @module */
import { listRelationships } from '#shared/data/cmdb/ci-repository.js';
import { findCi } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listCiRelationships, async ({ actor, params, query }) => {
  const ci = await findCi(actor, params.id);
  return { statusCode: 200, body: await listRelationships(actor.tenantId, ci.id, query.limit, query.cursor) };
});
