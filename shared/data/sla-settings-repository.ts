/**
 * A tenant's service-level policy (its SLA definitions and calendar
 * overrides): a versioned setting (see settings-repository); tenants that
 * never saved one get the standard SLA for every incident.
 * @module
 */
import type { Actor } from '../domain/roles.js';
import type { SlaDefinition } from '../domain/sla-definition.js';
import { defaultSlaPolicy, type SlaPolicy } from '../domain/sla-policy.js';
import { slaDefinitionKey } from './keys.js';
import { getSetting, type Setting, type SettingKind, saveSetting } from './settings-repository.js';

const SLA_POLICY: SettingKind<SlaPolicy> = {
  name: 'slaPolicy',
  key: slaDefinitionKey,
  eventType: 'SlaDefinitionUpdated',
  // Stored whole (validated on the way in). Before policies, one definition was stored alone: it applied to every incident.
  complete: (stored) => {
    if (!stored) return defaultSlaPolicy();
    const value = stored as Partial<SlaPolicy> & Partial<SlaDefinition>;
    return value.definitions ? (value as SlaPolicy) : { definitions: [value as SlaDefinition], calendarOverrides: [] };
  },
};

export function getSlaPolicy(tenantId: string): Promise<Setting<SlaPolicy>> {
  return getSetting(SLA_POLICY, tenantId);
}

export function saveSlaPolicy(actor: Actor, current: Setting<SlaPolicy>, policy: SlaPolicy, now: string, ifMatch: boolean): Promise<Setting<SlaPolicy>> {
  return saveSetting(SLA_POLICY, actor, current, policy, now, ifMatch);
}
