/** The shared body of the change settings routes: read one setting, or replace it under If-Match. @module */
import { now } from '#shared/clock.js';
import { getSetting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import type { Actor } from '#shared/domain/roles.js';
import { type ApiResult, checkIfMatch } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';

export async function readSetting<T extends object>(kind: SettingKind<T>, actor: Actor): Promise<ApiResult> {
  return settingResult(await getSetting(kind, actor.tenantId), 'settings');
}

export async function replaceSetting<T extends object>(kind: SettingKind<T>, actor: Actor, value: T, ifMatch: number | undefined): Promise<ApiResult> {
  const current = await getSetting(kind, actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return settingResult(await saveSetting(kind, actor, current, value, now().toISOString(), ifMatch !== undefined), 'settings');
}
