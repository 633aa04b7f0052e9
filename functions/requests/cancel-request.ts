/** `POST /requests/{id}/cancel`. @module */
import { now } from '#shared/clock.js';
import { cancelRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.cancelRequest, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) => cancelRequest(current, { actor, now: now().toISOString() }, body.reason));
  return requestResult(request, actor);
});
