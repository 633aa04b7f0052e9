/**
 * The partition registry, kept by the one data client: before a write
 * whose item key starts with `TENANT#<id>#` reaches a partition this
 * container has not registered yet, an item `PK=TENANT#<id>#PARTITIONS#<shard>`,
 * `SK=<that partition key>` is written. Every repository writes through
 * `db`, so no practice has to remember it, and a tenant's partitions (its
 * records, their audit trails and notes, settings, outbox and idempotency
 * items) are all listed by {@link PARTITION_REGISTRY_SHARDS} Queries:
 * export and deletion find every item of a tenant without a Scan.
 *
 * A transaction carries its own registrations (a Put per new partition
 * added to it, while it stays within DynamoDB's 100 items): they commit
 * with the write or not at all, and cost no call of their own (each is a
 * transactional write unit, 2 WCU, where a batch put is 1). Other writes
 * are registered before the write, never after, so no item exists in an
 * unregistered partition; a write that then fails leaves a registration
 * of an empty partition, which costs a Query at deletion and nothing
 * else. Index keys need no registration: index entries go with their item.
 * @module
 */
import { createHash } from 'node:crypto';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isPartitionRegistryKey, PARTITION_REGISTRY_SHARDS, partitionRegistryPartition } from './keys.js';
import { stringOf } from './tenant-guard.js';

type Item = Record<string, unknown>;

/** The registry item's `entity`, so an export or a stream consumer can tell it apart. */
export const PARTITION_ENTITY = 'TenantPartition';

/**
 * Partitions this container registered already. Bounded: when full it
 * starts afresh, which costs re-registering (an idempotent put), never a
 * missed registration.
 */
const registered = new Set<string>();
const MAX_REMEMBERED = 20_000;

/** The shard of a partition key: stable, evenly spread. */
export function registryShardOf(pk: string): number {
  return createHash('sha1').update(pk).digest().readUInt32BE(0) % PARTITION_REGISTRY_SHARDS;
}

const TENANT_OF = /^TENANT#([^#]+)#/;

/** The table partition keys a write command may create items in (deletes and condition checks create none). */
export function writtenPartitions(operation: string, input: Item): string[] {
  const pkOf = (keyOrItem: unknown) => stringOf((keyOrItem as Item | undefined)?.PK);
  const list = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);
  let found: (string | undefined)[] = [];
  switch (operation) {
    case 'PutItem':
      found = [pkOf(input.Item)];
      break;
    case 'UpdateItem':
      found = [pkOf(input.Key)];
      break;
    case 'BatchWriteItem':
      found = Object.values((input.RequestItems ?? {}) as Item).flatMap((requests) =>
        list(requests).map((request) => pkOf((request.PutRequest as Item | undefined)?.Item)),
      );
      break;
    case 'TransactWriteItems':
      found = list(input.TransactItems).map((entry) =>
        entry.Put ? pkOf((entry.Put as Item).Item) : entry.Update ? pkOf((entry.Update as Item).Key) : undefined,
      );
      break;
  }
  return [...new Set(found.filter((pk): pk is string => pk !== undefined && TENANT_OF.test(pk) && !isPartitionRegistryKey(pk)))];
}

/** The registry item of partition `pk`: in the low-level client's attribute form, or plain for a document client's command. */
function registryItem(pk: string, marshalled = true): Item {
  const tenantId = TENANT_OF.exec(pk)?.[1] as string;
  const item = { PK: partitionRegistryPartition(tenantId, registryShardOf(pk)), SK: pk, entity: PARTITION_ENTITY };
  return marshalled ? Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])) : item;
}

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** Whether a transaction's items are in attribute-value form already (a document client's are marshalled later in the stack). */
function isMarshalled(transactItems: readonly Item[]): boolean {
  const first = transactItems[0];
  const keyOrItem = ((first?.Put as Item | undefined)?.Item ?? (first?.Update as Item | undefined)?.Key) as Item | undefined;
  return typeof keyOrItem?.PK === 'object';
}

function remember(partitions: readonly string[]): void {
  if (registered.size + partitions.length > MAX_REMEMBERED) registered.clear();
  for (const pk of partitions) registered.add(pk);
}

/** The table name a command names (single-item and transactional commands name it per item). */
function tableOf(operation: string, input: Item): string | undefined {
  if (typeof input.TableName === 'string') return input.TableName;
  if (operation === 'BatchWriteItem') return Object.keys((input.RequestItems ?? {}) as Item)[0];
  const first = (input.TransactItems as Item[] | undefined)?.[0];
  const entry = (first?.Put ?? first?.Update ?? first?.Delete ?? first?.ConditionCheck) as Item | undefined;
  return typeof entry?.TableName === 'string' ? entry.TableName : undefined;
}

/**
 * Adds the registration step to a client (after the tenant guard: a
 * refused command registers nothing). Registrations go through the same
 * client, so the guard and the capacity meter see them too.
 */
export function addPartitionRegistry(client: DynamoDBClient, operationOf: (commandName: string | undefined) => string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const input = args.input as Item;
      const fresh = writtenPartitions(operation, input).filter((pk) => !registered.has(pk));
      const table = fresh.length > 0 ? tableOf(operation, input) : undefined;
      const transactItems = operation === 'TransactWriteItems' ? (input.TransactItems as Item[]) : undefined;
      if (table && transactItems && transactItems.length + fresh.length <= MAX_TRANSACTION_ITEMS) {
        const marshalled = isMarshalled(transactItems);
        // A new input: the caller may send the same command again (a retry), which must not carry these twice.
        const registrations = fresh.map((pk) => ({ Put: { TableName: table, Item: registryItem(pk, marshalled) } }));
        const result = await next({ ...args, input: { ...input, TransactItems: [...transactItems, ...registrations] } });
        remember(fresh);
        return result;
      }
      if (table) {
        for (let start = 0; start < fresh.length; start += 25) {
          let pending: Record<string, unknown[]> | undefined = {
            [table]: fresh.slice(start, start + 25).map((pk) => ({ PutRequest: { Item: registryItem(pk) } })),
          };
          // Unprocessed items (throttling) are sent again, a bounded number of times.
          for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
            if (attempt === 5) throw new Error('Partition registration was not processed after 5 attempts');
            const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending as never }));
            pending = result.UnprocessedItems as Record<string, unknown[]> | undefined;
          }
        }
        remember(fresh);
      }
      return next(args);
    },
    { step: 'initialize', name: 'partitionRegistry' },
  );
}

/** Forgets what this container registered (tests, and the deletion of a tenant in this container). */
export function forgetRegisteredPartitions(tenantId?: string): void {
  if (tenantId === undefined) registered.clear();
  else for (const pk of registered) if (pk.startsWith(`TENANT#${tenantId}#`)) registered.delete(pk);
}
