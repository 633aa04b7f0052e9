/**
 * `POST /changes/{id}/approvals`: an approver (or delegate) of the current
 * level approves or rejects. The vote that decides a level leaves its
 * answer with the waiting workflow step; the advancer hands it over.
 * @module
 */
import { now } from '#shared/clock.js';
import { CHANGE_APPROVAL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { voteOnChange } from '#shared/domain/changes/change.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.recordApproval, async ({ actor, params, body }) => {
  const settings = await getSetting(CHANGE_APPROVAL_SETTING, actor.tenantId);
  const change = await changeChange(actor, params.id, undefined, (current) =>
    voteOnChange(current, { actor, now: now().toISOString() }, { decision: body.decision, comment: body.comment ?? null }, settings.value.delegations),
  );
  return changeResult(change, actor, { delegations: settings.value.delegations });
});
