/**
 * A tenant's service-level settings, each a versioned setting (see
 * settings-repository): the SLA policy (its SLA definitions and calendar
 * overrides; the standard SLA for every incident until saved) and the
 * escalation policy (the seed levels until saved).
 * @module
 */

import { getSetting, type Setting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import type { Actor } from '#shared/domain/roles.js';
import { defaultEscalationPolicy, type EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { type SlaDefinition, withCalendarDefaults } from '#shared/domain/sla/sla-definition.js';
import { defaultSlaPolicy, type SlaPolicy } from '#shared/domain/sla/sla-policy.js';
import { escalationPolicyKey, slaDefinitionKey } from './keys.js';

export const SLA_POLICY: SettingKind<SlaPolicy> = {
  name: 'slaPolicy',
  key: slaDefinitionKey,
  eventType: 'SlaDefinitionUpdated',
  // Stored whole (validated on the way in). Before policies, one definition was stored alone: it applied to every incident.
  // Definitions saved before the per-priority calendars read with the defaults.
  complete: (stored) => {
    if (!stored) return defaultSlaPolicy();
    const value = stored as Partial<SlaPolicy> & Partial<SlaDefinition>;
    const policy = value.definitions ? (value as SlaPolicy) : { definitions: [value as SlaDefinition], calendarOverrides: [] };
    return { ...policy, definitions: policy.definitions.map(withCalendarDefaults) };
  },
};

export function getSlaPolicy(tenantId: string): Promise<Setting<SlaPolicy>> {
  return getSetting(SLA_POLICY, tenantId);
}

export function saveSlaPolicy(actor: Actor, current: Setting<SlaPolicy>, policy: SlaPolicy, now: string, ifMatch: boolean): Promise<Setting<SlaPolicy>> {
  return saveSetting(SLA_POLICY, actor, current, policy, now, ifMatch);
}

export const ESCALATION_POLICY: SettingKind<EscalationPolicy> = {
  name: 'escalationPolicy',
  key: escalationPolicyKey,
  eventType: 'EscalationPolicyUpdated',
  complete: (stored) => (stored ? (stored as EscalationPolicy) : defaultEscalationPolicy()),
};

export function getEscalationPolicy(tenantId: string): Promise<Setting<EscalationPolicy>> {
  return getSetting(ESCALATION_POLICY, tenantId);
}

export function saveEscalationPolicy(
  actor: Actor,
  current: Setting<EscalationPolicy>,
  policy: EscalationPolicy,
  now: string,
  ifMatch: boolean,
): Promise<Setting<EscalationPolicy>> {
  return saveSetting(ESCALATION_POLICY, actor, current, policy, now, ifMatch);
}
