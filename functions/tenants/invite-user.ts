/** `POST /users`: a tenant admin invites a person. @module */

import type { Person } from '#shared/domain/tenants/person.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';
import { userResource } from '#shared/http/tenants/tenant-access.js';
import { invite } from '#shared/services/tenants/people.js';

const resultOf = (person: Person) => ({ statusCode: 201, body: userResource(person), headers: { location: `/users/${person.id}` }, version: person.version });

export const handler = httpHandler(routes.inviteUser, async ({ actor, body, idempotency }) => {
  const outcome = await invite(actor, body, { idempotency, response: (person) => storedResponse(resultOf(person)) });
  return 'replay' in outcome ? replayedResult(outcome.replay.response) : resultOf(outcome.person);
});
