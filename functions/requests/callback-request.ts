/** `POST /requests/{id}/callback`. @module */
import { now } from '#shared/clock.js';
import { recordCallback } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.recordRequestCallback, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) =>
    recordCallback(current, { actor, now: now().toISOString() }, { satisfied: body.satisfied, comment: body.comment ?? null }),
  );
  return requestResult(request, actor);
});
