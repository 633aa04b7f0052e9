/**
 * Key builders of the alerts practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */

import { createHash } from 'node:crypto';
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/** The tenant's alert policy: beside the incident settings, in the tenant's settings partition. */
export function alertPolicyKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'ALERTS' };
}

/** All integration keys of a tenant share a partition: listing them is one Query. */
export function integrationKeysPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}INTEGRATION_KEYS`;
}

/** Sort-key prefix of the keys themselves; their audit entries share the partition. */
export const INTEGRATION_KEY_PREFIX = 'KEY#';
/** One integration key: found by GetItem from the tenant and key id a routing key names. */
export function integrationKeyKey(tenantId: string, keyId: string): PrimaryKey {
  return { PK: integrationKeysPartition(tenantId), SK: `${INTEGRATION_KEY_PREFIX}${segment(keyId)}` };
}

/**
 * One alert record per tenant and dedup key. Dedup keys are the caller's
 * free text (up to 255 characters, alarm ARNs with `/`), so the key holds
 * their SHA-256 (base64url) and the item keeps the original.
 */
export function alertKey(tenantId: string, dedupKey: string): PrimaryKey {
  const digest = createHash('sha256').update(dedupKey).digest('base64url');
  return { PK: `${tenantPrefix(tenantId)}ALERT#${digest}`, SK: 'ALERT' };
}
