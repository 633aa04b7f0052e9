/**
 * Key builders of the tenants practice. Tenant records are platform data,
 * under the reserved platform scope (`TENANT#platform#`), so the operator's
 * calls are confined to them by the same wall that confines a tenant's;
 * people and export jobs are the tenant's own data, under its prefix.
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';
import type { ListPartition } from '#shared/data/query-page.js';
import { PLATFORM_SCOPE } from '#shared/domain/roles.js';

/** A tenant record in the platform's register (read by the authorizer for the tenant's status). */
export function tenantKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(PLATFORM_SCOPE)}TENANT#${segment(tenantId)}`, SK: 'TENANT' };
}

/** Every tenant, by id (GSI1). */
export const TENANT_LIST: ListPartition = { indexName: 'GSI1', partitionKey: `${tenantPrefix(PLATFORM_SCOPE)}TENANTS` };

/** A person of a tenant: record, audit trail. */
export function userKey(tenantId: string, userId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}USER#${segment(userId)}`, SK: 'USER' };
}

/** Every person of a tenant, by e-mail (GSI1). */
export function userList(tenantId: string): ListPartition {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}USERS` };
}

/**
 * The tenant's active tenant admins (a string set), changed in the same
 * transaction as the person: the last-admin rule holds under concurrency
 * (two admins demoting each other cannot both succeed).
 */
export function tenantAdminsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'TENANT_ADMINS' };
}

/** An export job of a tenant. */
export function exportKey(tenantId: string, exportId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}EXPORT#${segment(exportId)}`, SK: 'EXPORT' };
}

/** A tenant's export jobs, oldest first (GSI1). */
export function exportList(tenantId: string): ListPartition {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}EXPORTS` };
}
