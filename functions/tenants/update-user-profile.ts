/** `PATCH /users/{id}`: a tenant admin changes a user's profile. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { userResource } from '#shared/http/tenants/tenant-access.js';
import { changeProfile } from '#shared/services/tenants/people.js';

export const handler = httpHandler(routes.updateUserProfile, async ({ actor, params, body, ifMatch }) => {
  const person = await changeProfile(actor, params.id, body, ifMatch);
  return { statusCode: 200, body: userResource(person), version: person.version };
});
