/** `POST /requests/{id}/reply`. @module */
import { now } from '#shared/clock.js';
import { replyToRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.replyToRequest, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) => replyToRequest(current, { actor, now: now().toISOString() }, body.answer));
  return requestResult(request, actor);
});
