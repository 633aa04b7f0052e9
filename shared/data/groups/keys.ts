/**
 * Key builders of the groups practice: the only place that knows how its
 * keys are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/**
 * A tenant's groups share one partition, sorted by code: a dispatch check
 * is one GetItem, the list one Query (bounded by the groups quota).
 */
export function groupsPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}GROUPS`;
}

export const GROUP_PREFIX = 'GROUP#';
export function groupKey(tenantId: string, code: string): PrimaryKey {
  return { PK: groupsPartition(tenantId), SK: `${GROUP_PREFIX}${segment(code)}` };
}

/** The tenant's tiers: a setting in its settings partition. */
export function groupTiersKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'GROUP_TIERS' };
}
