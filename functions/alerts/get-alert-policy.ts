/** `GET /settings/alert-policy`. @module */
import { type AlertPolicySetting, getAlertPolicy } from '#shared/data/alerts/alert-policy-repository.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import { type ApiResult, httpHandler } from '#shared/http/http-handler.js';

/** The policy with its version as ETag; shared with the PUT handler. */
export function alertPolicyResult(setting: AlertPolicySetting): ApiResult {
  return { statusCode: 200, body: setting, version: setting.version };
}

export const handler = httpHandler(routes.getAlertPolicy, async ({ actor }) => alertPolicyResult(await getAlertPolicy(actor.tenantId)));
