/**
 * A tenant's alert policy: a versioned setting (see settings-repository),
 * completed with the defaults so a field added later has a value for every
 * tenant.
 * @module
 */

import { getSetting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import { type AlertPolicy, DEFAULT_ALERT_POLICY } from '#shared/domain/alerts/alert.js';
import type { Actor } from '#shared/domain/roles.js';
import { alertPolicyKey } from './keys.js';

/** The policy in force and its version (for ETag / If-Match). */
export interface AlertPolicySetting {
  readonly policy: AlertPolicy;
  /** 0 while the tenant uses the default policy. */
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

const ALERT_POLICY: SettingKind<AlertPolicy> = {
  name: 'alertPolicy',
  key: alertPolicyKey,
  eventType: 'AlertPolicyUpdated',
  complete: (stored) => ({ ...DEFAULT_ALERT_POLICY, ...stored, severityMapping: { ...DEFAULT_ALERT_POLICY.severityMapping, ...stored?.severityMapping } }),
};

/** The policy in force (strongly consistent: an alert right after a policy change follows the new one). */
export async function getAlertPolicy(tenantId: string): Promise<AlertPolicySetting> {
  const { value, ...rest } = await getSetting(ALERT_POLICY, tenantId);
  return { policy: value, ...rest };
}

/** Replaces the policy if `current.version` is still the stored one. */
export async function saveAlertPolicy(
  actor: Actor,
  current: AlertPolicySetting,
  policy: AlertPolicy,
  now: string,
  ifMatch: boolean,
): Promise<AlertPolicySetting> {
  const { policy: currentPolicy, ...rest } = current;
  const { value, ...saved } = await saveSetting(ALERT_POLICY, actor, { value: currentPolicy, ...rest }, policy, now, ifMatch);
  return { policy: value, ...saved };
}
