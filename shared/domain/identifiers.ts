/**
 * The shape of ids that end up inside keys (tenant, user, group, CI ids):
 * the same rule as the `Identifier` request schema and the key builders,
 * for values that arrive from outside a request schema (a routing key, an
 * alarm tag, a monitoring payload).
 * @module
 */

/** 1–128 letters, digits or `. _ @ : -`; never the `#` key separator. */
export const SAFE_ID = /^[A-Za-z0-9._@:-]{1,128}$/;

/** Whether `value` may be used as an id inside a key. */
export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value);
}
