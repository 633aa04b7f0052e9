/** `DELETE /cis/{id}/relationships/{type}/{otherId}`: remove both edges. @module */
import { now } from '#shared/clock.js';
import { deleteRelationship } from '#shared/data/cmdb/ci-repository.js';
import { canonicalRelationship } from '#shared/domain/cmdb/ci-relationship.js';
import { findCi } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.removeCiRelationship, async ({ actor, params }) => {
  const ci = await findCi(actor, params.id);
  // A missing relationship (or another tenant's CI at the other end) is a 404 from the conditional delete.
  await deleteRelationship(actor, canonicalRelationship(ci.id, params.type, params.otherId), now().toISOString());
  return { statusCode: 204 };
});
