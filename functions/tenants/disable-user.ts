/** `POST /users/{id}/disable`. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { userResource } from '#shared/http/tenants/tenant-access.js';
import { disable } from '#shared/services/tenants/people.js';

export const handler = httpHandler(routes.disableUser, async ({ actor, params, ifMatch }) => {
  const person = await disable(actor, params.id, ifMatch);
  return { statusCode: 200, body: userResource(person), version: person.version };
});
