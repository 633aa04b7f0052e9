/** `PUT /users/{id}/roles`. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { userResource } from '#shared/http/tenants/tenant-access.js';
import { setRoles } from '#shared/services/tenants/people.js';

export const handler = httpHandler(routes.setUserRoles, async ({ actor, params, body, ifMatch }) => {
  const person = await setRoles(actor, params.id, body.roles, ifMatch);
  return { statusCode: 200, body: userResource(person), version: person.version };
});
