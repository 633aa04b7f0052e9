/**
 * Deleting a tenant, a bounded batch per invocation of the deletion
 * worker. A batch takes the registered partitions shard by shard; for each
 * it deletes the items (25 to a call) until a Query finds the partition
 * empty, then removes its registry entry. A user record takes its sign-in
 * identity with it. The batch saves its progress on the tenant record;
 * that save's event (`TenantDeletionProgressed`) starts the next batch.
 * When every shard is empty, the tenant's items are counted through the
 * registry: zero ends the deletion (`TenantDeleted`, `itemsLeft: 0`);
 * anything registered meanwhile (a late background write) starts another
 * round.
 * @module
 */
import { now } from '#shared/clock.js';
import { PARTITION_REGISTRY_SHARDS } from '#shared/data/keys.js';
import { forgetRegisteredPartitions } from '#shared/data/partition-registry.js';
import { countTenantItems, deleteKeys, partitionItems, registeredPartitions, unregisterPartition } from '#shared/data/tenants/tenant-items.js';
import { getTenant, saveTenant } from '#shared/data/tenants/tenant-repository.js';
import { type Actor, PLATFORM_SCOPE } from '#shared/domain/roles.js';
import { advanceDeletion, type Tenant } from '#shared/domain/tenants/tenant.js';
import { type IdentityProvider, identityProvider } from './identity-provider.js';

/** What one batch may delete before it hands over to the next invocation. */
export const DELETION_BATCH = { maxItems: 5_000, page: 200 } as const;

const WORKER: Actor = { tenantId: PLATFORM_SCOPE, userId: 'system:tenant-deletion', roles: [] };

/** Partitions emptied side by side: DynamoDB spreads them over its partitions, and a batch's budget is overrun by at most this many pages. */
const PARALLEL_PARTITIONS = 5;

/**
 * Empties one partition, a page at a time while `budget` allows; answers
 * whether it was found empty (then its registry entry is removed).
 */
async function emptyPartition(
  tenantId: string,
  partition: string,
  budget: { left: () => number; spend: (items: number) => void },
  page: number,
  identity: Pick<IdentityProvider, 'deleteUser'>,
): Promise<boolean> {
  while (budget.left() > 0) {
    const { items } = await partitionItems(partition, null, Math.min(page, budget.left()), 'PK, SK, entity, id');
    if (items.length === 0) {
      await unregisterPartition(tenantId, partition);
      return true;
    }
    for (const item of items) if (item.entity === 'User' && typeof item.id === 'string') await identity.deleteUser(item.id);
    budget.spend(await deleteKeys(items.map((item) => ({ PK: item.PK as string, SK: item.SK as string }))));
  }
  return false;
}

/** Deletes up to about `maxItems` of the tenant's items, shard by shard; answers how far it got. */
export async function deleteBatch(
  tenantId: string,
  fromShard: number,
  limits: { maxItems: number; page: number } = DELETION_BATCH,
  identity: Pick<IdentityProvider, 'deleteUser'> = identityProvider(),
): Promise<{ shardsDone: number; partitionsDeleted: number; itemsDeleted: number }> {
  let itemsDeleted = 0;
  let partitionsDeleted = 0;
  let shard = fromShard;
  const budget = {
    left: () => limits.maxItems - itemsDeleted,
    spend: (items: number) => {
      itemsDeleted += items;
    },
  };
  while (shard < PARTITION_REGISTRY_SHARDS && budget.left() > 0) {
    // Entries are removed as their partitions empty, so the first page is always what is left.
    const { partitions } = await registeredPartitions(tenantId, shard, null, 25);
    if (partitions.length === 0) {
      shard += 1;
      continue;
    }
    for (let start = 0; start < partitions.length && budget.left() > 0; start += PARALLEL_PARTITIONS) {
      const emptied = await Promise.all(
        partitions.slice(start, start + PARALLEL_PARTITIONS).map((partition) => emptyPartition(tenantId, partition, budget, limits.page, identity)),
      );
      partitionsDeleted += emptied.filter(Boolean).length;
    }
  }
  return { shardsDone: shard, partitionsDeleted, itemsDeleted };
}

/**
 * One batch of a tenant's deletion. A redelivered event for a version the
 * tenant has moved past does nothing, so each batch runs once.
 */
export async function runDeletionBatch(tenantId: string, version: number, identity?: Pick<IdentityProvider, 'deleteUser'>): Promise<Tenant | null> {
  const tenant = await getTenant(tenantId);
  if (tenant?.status !== 'deleting' || !tenant.deletion || tenant.version !== version) return null;
  const step = await deleteBatch(tenantId, tenant.deletion.shardsDone, DELETION_BATCH, identity);
  let itemsLeft: number | null = null;
  let shardsDone = step.shardsDone;
  if (shardsDone >= PARTITION_REGISTRY_SHARDS) {
    itemsLeft = (await countTenantItems(tenantId)).items;
    // Something registered meanwhile: another round over the shards.
    if (itemsLeft > 0) shardsDone = 0;
    else forgetRegisteredPartitions(tenantId);
  }
  const { tenant: after, changes } = advanceDeletion(tenant, { ...step, shardsDone, itemsLeft }, { userId: WORKER.userId, now: now().toISOString() });
  const done = after.status === 'deleted';
  await saveTenant(
    after,
    WORKER,
    {
      type: done ? 'TenantDeleted' : 'TenantDeletionProgressed',
      action: done ? 'deleted' : 'delete-batch',
      changes,
      facts: { itemsDeleted: after.deletion?.itemsDeleted ?? 0, itemsLeft: after.deletion?.itemsLeft ?? null },
    },
    tenant.version,
    false,
  );
  return after;
}
