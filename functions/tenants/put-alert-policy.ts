/** `PUT /settings/alert-policy`: tenant admins only. @module */
import { now } from '../../shared/clock.js';
import { getAlertPolicy, saveAlertPolicy } from '../../shared/data/alert-policy-repository.js';
import { checkIfMatch, httpHandler } from '../../shared/http/http-handler.js';
import { alertPolicyResult } from './get-alert-policy.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export const handler = httpHandler(routes.putAlertPolicy, async ({ actor, body, ifMatch }) => {
  const current = await getAlertPolicy(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return alertPolicyResult(await saveAlertPolicy(actor, current, body, now().toISOString(), ifMatch !== undefined));
});
