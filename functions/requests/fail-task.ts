/** `POST /requests/{id}/tasks/{taskId}/fail`. @module */
import { now } from '#shared/clock.js';
import { failTask } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.failRequestTask, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) =>
    failTask(current, { actor, now: now().toISOString() }, params.taskId, body.reason),
  );
  return requestResult(request, actor);
});
