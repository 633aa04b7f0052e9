/**
 * `POST /requests/{id}/approvals`: an approver (or delegate) of the current
 * level approves or rejects; delegations are the tenant's, kept with its
 * approval settings (one set for every practice that approves).
 * @module
 */
import { now } from '#shared/clock.js';
import { CHANGE_APPROVAL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { voteOnRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { changeRequest, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.recordRequestApproval, async ({ actor, params, body, ifMatch }) => {
  const { delegations } = (await getSetting(CHANGE_APPROVAL_SETTING, actor.tenantId)).value;
  const request = await changeRequest(actor, params.id, ifMatch, (current) =>
    voteOnRequest(current, { actor, now: now().toISOString() }, { decision: body.decision, comment: body.comment ?? null }, delegations),
  );
  return requestResult(request, actor, { delegations });
});
