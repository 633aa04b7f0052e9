/** `POST /requests/{id}/await-requester`. @module */
import { now } from '#shared/clock.js';
import { awaitRequester } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.awaitRequester, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) => awaitRequester(current, { actor, now: now().toISOString() }, body.question));
  return requestResult(request, actor);
});
