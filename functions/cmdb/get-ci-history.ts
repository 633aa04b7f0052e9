/** `GET /cis/{id}/history`: the CI's audit trail, oldest first. @module */
import { listCiHistory } from '#shared/data/cmdb/ci-repository.js';
import { findCi } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getCiHistory, async ({ actor, params, query }) => {
  const ci = await findCi(actor, params.id);
  const page = await listCiHistory(actor.tenantId, ci.id, query.limit, query.cursor);
  return { statusCode: 200, body: page };
});
