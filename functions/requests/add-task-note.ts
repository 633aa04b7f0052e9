/** `POST /requests/{id}/tasks/{taskId}/notes`. @module */
import { now } from '#shared/clock.js';
import { addTaskNote } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.addRequestTaskNote, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, (current) =>
    addTaskNote(current, { actor, now: now().toISOString() }, params.taskId, body.body),
  );
  return requestResult(request, actor);
});
