/**
 * A tenant's SLA definition: a versioned setting (see settings-repository);
 * tenants that never saved one get the standard SLA.
 * @module
 */
import type { Actor } from '../domain/roles.js';
import { defaultSlaDefinition, type SlaDefinition } from '../domain/sla-definition.js';
import { slaDefinitionKey } from './keys.js';
import { getSetting, type Setting, type SettingKind, saveSetting } from './settings-repository.js';

const SLA_DEFINITION: SettingKind<SlaDefinition> = {
  name: 'slaDefinition',
  key: slaDefinitionKey,
  eventType: 'SlaDefinitionUpdated',
  // A definition is stored whole (validated on the way in), so there is nothing to complete.
  complete: (stored) => (stored ? (stored as SlaDefinition) : defaultSlaDefinition()),
};

export function getSlaDefinition(tenantId: string): Promise<Setting<SlaDefinition>> {
  return getSetting(SLA_DEFINITION, tenantId);
}

export function saveSlaDefinition(
  actor: Actor,
  current: Setting<SlaDefinition>,
  definition: SlaDefinition,
  now: string,
  ifMatch: boolean,
): Promise<Setting<SlaDefinition>> {
  return saveSetting(SLA_DEFINITION, actor, current, definition, now, ifMatch);
}
