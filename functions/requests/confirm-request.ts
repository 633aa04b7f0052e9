/** `POST /requests/{id}/confirm`. @module */
import { now } from '#shared/clock.js';
import { confirmRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.confirmRequest, async ({ actor, params, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) => confirmRequest(current, { actor, now: now().toISOString() }));
  return requestResult(request, actor);
});
