/** `POST /requests/{id}/tasks/{taskId}/assign`. @module */
import { now } from '#shared/clock.js';
import { assignTask } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';
import { requireActiveGroup } from '#shared/services/groups/group-dispatch.js';

export const handler = httpHandler(routes.assignRequestTask, async ({ actor, params, body, ifMatch }) => {
  const request = await changeRequest(actor, params.id, ifMatch, async (current) => {
    const mutation = assignTask(current, { actor, now: now().toISOString() }, params.taskId, { group: body.group, assigneeId: body.assigneeId ?? null });
    // After the request is found and the caller may assign (404, 403 first), before anything is written.
    await requireActiveGroup(actor.tenantId, body.group, 'group');
    return mutation;
  });
  return requestResult(request, actor);
});
