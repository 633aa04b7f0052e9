/** `POST /requests/{id}/tasks/{taskId}/start`. @module */
import { now } from '#shared/clock.js';
import { startTask } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.startRequestTask, async ({ actor, params, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) => startTask(current, { actor, now: now().toISOString() }, params.taskId));
  return requestResult(request, actor);
});
