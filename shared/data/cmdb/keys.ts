/**
 * Key builders of the cmdb practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/** A CI's partition holds the CI, its audit trail and both directions of its relationships. */
export function ciKey(tenantId: string, ciId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI#${segment(ciId)}`, SK: 'CI' };
}

/** Sort-key prefixes of a CI's relationship edges: outbound (it depends on), inbound (depends on it). */
export const RELATIONSHIP_PREFIX = { outbound: 'REL#OUT#', inbound: 'REL#IN#' } as const;

/**
 * The two items of one relationship: the outbound edge in the dependent's
 * partition and the inbound edge in the dependency's, so either direction
 * of one CI is one Query.
 */
export function relationshipEdgeKeys(
  tenantId: string,
  relationship: { readonly type: string; readonly dependentId: string; readonly dependencyId: string },
): { outbound: PrimaryKey; inbound: PrimaryKey } {
  const { type, dependentId, dependencyId } = relationship;
  return {
    outbound: { PK: ciKey(tenantId, dependentId).PK, SK: `${RELATIONSHIP_PREFIX.outbound}${segment(type)}#${segment(dependencyId)}` },
    inbound: { PK: ciKey(tenantId, dependencyId).PK, SK: `${RELATIONSHIP_PREFIX.inbound}${segment(type)}#${segment(dependentId)}` },
  };
}

/** GSI1 partitions of the CMDB: every CI, and every relationship (outbound edges only, so each once). */
export function cmdbListKey(tenantId: string, what: 'cis' | 'relationships'): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}${what === 'cis' ? 'CIS' : 'CI_RELATIONSHIPS'}` };
}

/** GSI2 (by class) and GSI3 (by owner group) partitions of CIs. */
export function ciQueueKey(tenantId: string, queue: 'class' | 'ownerGroup', value: string): { indexName: string; partitionKey: string } {
  return queue === 'class'
    ? { indexName: 'GSI2', partitionKey: `${tenantPrefix(tenantId)}CIS#CLASS#${segment(value)}` }
    : { indexName: 'GSI3', partitionKey: `${tenantPrefix(tenantId)}CIS#GROUP#${segment(value)}` };
}

/** Index attributes of a CI: listed by name within its class, tenant-wide, by class and by owner group (sparse). */
export function ciIndexKeys(ci: { tenantId: string; id: string; class: string; name: string; ownerGroup: string | null }): Record<string, string> {
  const keys: Record<string, string> = {
    QSK: `${ci.class}#${ci.name.toLowerCase().slice(0, 100)}#${ci.id}`,
    GSI1PK: cmdbListKey(ci.tenantId, 'cis').partitionKey,
    GSI2PK: ciQueueKey(ci.tenantId, 'class', ci.class).partitionKey,
  };
  if (ci.ownerGroup) keys.GSI3PK = ciQueueKey(ci.tenantId, 'ownerGroup', ci.ownerGroup).partitionKey;
  return keys;
}

/** Claims a business service's code: one item per code, created with the service (unique codes). */
export function serviceCodeKey(tenantId: string, code: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SERVICE_CODE#${segment(code)}`, SK: 'SERVICE_CODE' };
}

/** One bulk import request: its report summary and its audit entry. */
export function ciImportKey(tenantId: string, importId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI_IMPORT#${segment(importId)}`, SK: 'IMPORT' };
}

/** The tenant's CMDB settings (custom attributes, service code pattern, staleness). */
export function cmdbSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'CMDB' };
}
