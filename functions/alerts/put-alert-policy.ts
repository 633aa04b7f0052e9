/** `PUT /settings/alert-policy`: tenant admins only. @module */
import { now } from '#shared/clock.js';
import { getAlertPolicy, saveAlertPolicy } from '#shared/data/alerts/alert-policy-repository.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { requireActiveGroup } from '#shared/services/groups/group-dispatch.js';
import { alertPolicyResult } from './get-alert-policy.js';

export const handler = httpHandler(routes.putAlertPolicy, async ({ actor, body, ifMatch }) => {
  const current = await getAlertPolicy(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  if (body.defaultAssignmentGroup) await requireActiveGroup(actor.tenantId, body.defaultAssignmentGroup, 'body.defaultAssignmentGroup');
  return alertPolicyResult(await saveAlertPolicy(actor, current, body, now().toISOString(), ifMatch !== undefined));
});
