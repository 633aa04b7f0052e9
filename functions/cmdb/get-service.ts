/** `GET /services/{code}`: one service by its code; requesters see published ones only. @module */
import { getCiByServiceCode } from '#shared/data/cmdb/ci-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { isStaff } from '#shared/domain/roles.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { isPublished, serviceResource } from '#shared/http/cmdb/service-resource.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getService, async ({ actor, params }) => {
  const ci = await getCiByServiceCode(actor.tenantId, params.code);
  if (!ci || (!isStaff(actor) && !isPublished(ci))) throw new NotFoundError(`Service ${params.code} was not found.`);
  return { statusCode: 200, body: serviceResource(ci), version: ci.version };
});
