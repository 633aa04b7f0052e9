/** `GET /users`. @module */
import { listPeople } from '#shared/data/tenants/person-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';

export const handler = httpHandler(routes.listUsers, async ({ actor, query }) => ({
  statusCode: 200,
  body: await listPeople(actor.tenantId, query.limit, query.cursor),
}));
