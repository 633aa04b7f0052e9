/**
 * A tenant's CMDB settings: a versioned setting (see settings-repository);
 * tenants that never saved any get the defaults.
 * @module
 */

import { getSetting, type Setting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import { type CmdbSettings, defaultCmdbSettings } from '#shared/domain/cmdb/cmdb-settings.js';
import type { Actor } from '#shared/domain/roles.js';
import { cmdbSettingsKey } from './keys.js';

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
