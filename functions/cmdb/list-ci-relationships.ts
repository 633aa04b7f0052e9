/** `GET /cis/{id}/relationships`: both directions, each named from this CI. @module */
import { listRelationships } from '../../shared/data/ci-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { findCi } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.listCiRelationships, async ({ actor, params, query }) => {
  const ci = await findCi(actor, params.id);
  return { statusCode: 200, body: await listRelationships(actor.tenantId, ci.id, query.limit, query.cursor) };
});
