/**
 * Key builders shared by every practice (tenant prefix, audit, outbox, idempotency, number lookup); each practice keeps its own beside its repository (`<practice>/keys.ts`). Every key of
 * tenant data starts with `TENANT#<tenantId>#`, so an IAM
 * `dynamodb:LeadingKeys` condition can confine a tenant's credentials.
 * @module
 */
import { isSafeId } from '#shared/domain/identifiers.js';

export interface PrimaryKey {
  readonly PK: string;
  readonly SK: string;
}

/** Ids that end up inside keys may not contain the `#` separator. */

export function segment(value: string): string {
  if (!isSafeId(value)) throw new Error(`Unsafe key segment: ${JSON.stringify(value)}`);
  return value;
}

/** `TENANT#<id>#`: the leading key of every tenant item. */
export function tenantPrefix(tenantId: string): string {
  return `TENANT#${segment(tenantId)}#`;
}

/** Audit entries live in their record's partition: its history is one Query. */
export const AUDIT_PREFIX = 'AUDIT#';
export function auditKey(recordPk: string, auditId: string): PrimaryKey {
  return { PK: recordPk, SK: `${AUDIT_PREFIX}${segment(auditId)}` };
}

/** Scoped to the user as well as the tenant, so two callers cannot replay each other's responses. */
export function idempotencyKey(tenantId: string, userId: string, key: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}IDEMPOTENCY#${segment(userId)}#${segment(key)}`, SK: 'IDEMPOTENCY' };
}

/** How many partitions a tenant's outbox is spread over. */
export const OUTBOX_SHARDS = 8;

/**
 * An outbox event: one of {@link OUTBOX_SHARDS} partitions per tenant,
 * chosen by a hash of the event id, the event under its id. Not a
 * partition per event: every new partition is registered once per
 * container for the tenant's export and deletion (`partition-registry.ts`),
 * so a bounded set keeps that to a handful of writes per tenant instead of
 * one per mutation; eight partitions still take thousands of outbox writes
 * a second. Nothing reads them by key: the stream carries them to the
 * publisher and TTL removes them.
 */
export function outboxKey(tenantId: string, eventId: string): PrimaryKey {
  const id = segment(eventId);
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return { PK: `${tenantPrefix(tenantId)}OUTBOX#${(hash >>> 0) % OUTBOX_SHARDS}`, SK: `EVENT#${id}` };
}

export function numberLookupKey(tenantId: string, number: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI7', partitionKey: `${tenantPrefix(tenantId)}NUMBER#${segment(number)}` };
}

/**
 * A per-tenant number sequence, one item per record prefix (`CHG`, `REL`,
 * `PRB`, `IMP`), in the settings partition. Changes and releases used
 * `SEQ#CHANGES`/`SEQ#RELEASES` before the counters became one; no deployed
 * data exists yet, so their items move to `SEQ#CHG`/`SEQ#REL` with no
 * migration. Incident numbers stay on the incident settings item.
 */
export function sequenceKey(tenantId: string, prefix: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: `SEQ#${segment(prefix)}` };
}

/**
 * The partition registry: one small item per partition a tenant has ever
 * written, so a tenant's data can be found (exported, deleted, counted)
 * with Queries, never a Scan. Spread over {@link PARTITION_REGISTRY_SHARDS}
 * partitions by a hash of the registered key, so a busy tenant's
 * registrations do not all land on one partition's write limit.
 */
export const PARTITION_REGISTRY_SHARDS = 8;
export function partitionRegistryPartition(tenantId: string, shard: number): string {
  return `${tenantPrefix(tenantId)}PARTITIONS#${shard}`;
}
/** Whether `pk` is a registry partition itself (never registered, or the registry would register itself forever). */
export function isPartitionRegistryKey(pk: string): boolean {
  return /^TENANT#[^#]+#PARTITIONS#\d+$/.test(pk);
}
