/** `GET /users/{id}`. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { userResource } from '#shared/http/tenants/tenant-access.js';
import { findPerson } from '#shared/services/tenants/people.js';

export const handler = httpHandler(routes.getUser, async ({ actor, params }) => {
  const person = await findPerson(actor, params.id);
  return { statusCode: 200, body: userResource(person), version: person.version };
});
