/**
 * A tenant's CMDB settings: a versioned setting (see settings-repository);
 * tenants that never saved any get the defaults.
 * @module
 */
import { type CmdbSettings, defaultCmdbSettings } from '../domain/cmdb-settings.js';
import type { Actor } from '../domain/roles.js';
import { cmdbSettingsKey } from './keys.js';
import { getSetting, type Setting, type SettingKind, saveSetting } from './settings-repository.js';

const CMDB_SETTINGS: SettingKind<CmdbSettings> = {
  name: 'cmdbSettings',
  key: cmdbSettingsKey,
  eventType: 'CmdbSettingsUpdated',
  // Fields added later take their defaults.
  complete: (stored) => ({ ...defaultCmdbSettings(), ...stored }),
};

export function getCmdbSettings(tenantId: string): Promise<Setting<CmdbSettings>> {
  return getSetting(CMDB_SETTINGS, tenantId);
}

export function saveCmdbSettings(
  actor: Actor,
  current: Setting<CmdbSettings>,
  value: CmdbSettings,
  now: string,
  ifMatch: boolean,
): Promise<Setting<CmdbSettings>> {
  return saveSetting(CMDB_SETTINGS, actor, current, value, now, ifMatch);
}
