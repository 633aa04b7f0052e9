/**
 * Integration keys in the single table: one partition per tenant, one item
 * per key holding the secret's hash. Revoked keys stay (listed, audited)
 * and stop authenticating at once.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { queryPage } from '#shared/data/query-page.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { IntegrationKey } from '#shared/domain/alerts/integration-key.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { INTEGRATION_KEY_PREFIX, integrationKeyKey, integrationKeysPartition } from './keys.js';

/** A key as listed: everything but the hash, which never leaves this module. */
export type IntegrationKeySummary = Omit<IntegrationKey, 'secretHash'>;

function fromItem(item: Record<string, unknown>): IntegrationKey {
  return withoutStorageAttributes<IntegrationKey>(item);
}

function summarise(key: IntegrationKey): IntegrationKeySummary {
  const { secretHash: _hash, ...summary } = key;
  return summary;
}

function eventOf(type: 'IntegrationKeyCreated' | 'IntegrationKeyRevoked', key: IntegrationKey, actor: Actor, now: string) {
  return buildEvent(type, {
    ...eventEnvelope(key.tenantId, now, actor),
    keyId: key.keyId,
    name: key.name,
    version: key.version,
  });
}

/** Writes a new key (its hash, never the secret). */
export async function insertIntegrationKey(key: IntegrationKey, actor: Actor): Promise<IntegrationKeySummary> {
  await commitMutation({
    actor,
    recordType: 'IntegrationKey',
    recordId: key.keyId,
    write: { kind: 'create', item: { ...integrationKeyKey(key.tenantId, key.keyId), entity: 'IntegrationKey', ...key } },
    audit: { action: 'create', version: key.version, changes: [{ field: 'name', from: null, to: key.name }], facts: {} },
    event: eventOf('IntegrationKeyCreated', key, actor, key.createdAt),
  });
  return summarise(key);
}

/**
 * One key, strongly consistent: a revoke must stop the very next alert,
 * which an eventually consistent read could still let through.
 */
export async function getIntegrationKey(tenantId: string, keyId: string): Promise<IntegrationKey | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: integrationKeyKey(tenantId, keyId), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : null;
}

/** The tenant's keys, oldest first (ids are ULIDs), revoked ones included. */
export async function listIntegrationKeys(tenantId: string, limit: number, cursor?: string): Promise<Page<IntegrationKeySummary>> {
  const partition = integrationKeysPartition(tenantId);
  const page = await queryPage(
    {
      // The partition also holds the keys' audit entries; the prefix leaves them out.
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': INTEGRATION_KEY_PREFIX },
      Limit: limit,
      partition: { attribute: 'PK', value: partition },
    },
    cursor,
  );
  return { items: page.items.map((item) => summarise(fromItem(item))), nextCursor: page.nextCursor };
}

/** Stores a revocation if nobody changed the key since `expectedVersion`. */
export async function saveRevokedIntegrationKey(revoked: IntegrationKey, actor: Actor, expectedVersion: number): Promise<void> {
  await commitMutation({
    actor,
    recordType: 'IntegrationKey',
    recordId: revoked.keyId,
    write: {
      kind: 'update',
      key: integrationKeyKey(revoked.tenantId, revoked.keyId),
      update: {
        UpdateExpression: 'SET revokedAt = :at, revokedBy = :by, #version = :version',
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':at': revoked.revokedAt, ':by': revoked.revokedBy, ':version': revoked.version, ':expected': expectedVersion },
      },
      ifMatch: false,
    },
    audit: { action: 'revoke', version: revoked.version, changes: [{ field: 'revokedAt', from: null, to: revoked.revokedAt }], facts: {} },
    event: eventOf('IntegrationKeyRevoked', revoked, actor, revoked.revokedAt ?? new Date().toISOString()),
  });
}
