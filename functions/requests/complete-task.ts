/** `POST /requests/{id}/tasks/{taskId}/complete`. @module */
import { now } from '#shared/clock.js';
import { completeTask } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.completeRequestTask, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) =>
    completeTask(current, { actor, now: now().toISOString() }, params.taskId, body.outcome),
  );
  return requestResult(request, actor);
});
