/**
 * The answer for a versioned tenant setting (GET and PUT alike): its value,
 * version (also the ETag), and who changed it last.
 * @module
 */
import type { Setting } from '#shared/data/settings-repository.js';
import type { ApiResult } from './http-handler.js';

/**
 * The value's members beside the version fields, or under `member` when the
 * value is not an object of named parts (`{ settings: … }`).
 */
export function settingResult<T extends object>(setting: Setting<T>, member?: string): ApiResult {
  const meta = { version: setting.version, updatedAt: setting.updatedAt, updatedBy: setting.updatedBy };
  return { statusCode: 200, body: member ? { [member]: setting.value, ...meta } : { ...setting.value, ...meta }, version: setting.version };
}
