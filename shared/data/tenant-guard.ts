/**
 * The application half of the tenant wall: inside a tenant scope, every
 * DynamoDB command is checked before it is sent, and one whose partition
 * key (table or index) does not start with `TENANT#<tenant in scope>#`
 * never leaves the process. In AWS, IAM enforces the same rule a second
 * time (`dynamodb:LeadingKeys` on the tenant role); locally this check is
 * the only wall, which is why it fails closed: a command whose keys it
 * cannot read is refused too.
 * @module
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PARTITION_KEY } from './table-definition.js';
import { currentTenant } from './tenant-scope.js';

/**
 * A data access that would cross the tenant wall. Always a bug (keys are
 * built from the caller's tenant), so it is not a domain error: the API
 * answers a 500 and logs it, and the request was never sent.
 */
export class TenantWallViolation extends Error {
  constructor(
    readonly tenantId: string,
    readonly operation: string,
    detail: string,
  ) {
    super(`${operation} inside the scope of tenant ${tenantId}: ${detail}`);
    this.name = 'TenantWallViolation';
  }
}

type Item = Record<string, unknown>;

/** A table or index partition key attribute: `PK`, `GSI1PK` … */
const PARTITION_ATTRIBUTE = /^(PK|GSI\d+PK)$/;

/** A key value as the document client gives it (a string) or as the low-level client does (`{ S }`). */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
}

/** The partition key values a key or an item carries: its `PK` (required) and any index partition keys. */
function partitionValuesOf(keyOrItem: unknown): unknown[] {
  if (!keyOrItem || typeof keyOrItem !== 'object') return [undefined];
  const record = keyOrItem as Item;
  // An absent index key just leaves the item out of that index; the table's PK is always required.
  const indexKeys = Object.keys(record).filter((name) => name !== PARTITION_KEY && PARTITION_ATTRIBUTE.test(name) && record[name] != null);
  return [record[PARTITION_KEY], ...indexKeys.map((name) => record[name])];
}

/**
 * The partition key values a Query's `KeyConditionExpression` compares
 * with `=`: the table's `PK` or an index's `GSI<n>PK`, spelled directly or
 * through `ExpressionAttributeNames`.
 */
function queryPartitionValues(input: Item): unknown[] {
  const expression = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : '';
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const found: unknown[] = [];
  for (const [, name, value] of expression.matchAll(/([#A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
    const attribute = name?.startsWith('#') ? names[name] : name;
    if (attribute && PARTITION_ATTRIBUTE.test(attribute)) found.push(values[value as string]);
  }
  // No partition key equality: nothing to confine the Query to, so it is refused.
  return found.length > 0 ? found : [undefined];
}

const list = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);
const tables = (value: unknown): unknown[] => Object.values((value ?? {}) as Item);

/** Every partition key value a command would touch, by operation; `null` for an operation the wall does not allow in a scope. */
function partitionValuesFor(operation: string, input: Item): unknown[] | null {
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return partitionValuesOf(input.Key);
    case 'PutItem':
      return partitionValuesOf(input.Item);
    case 'Query':
      return queryPartitionValues(input);
    case 'BatchGetItem':
      return tables(input.RequestItems).flatMap((request) => list((request as Item | undefined)?.Keys).flatMap(partitionValuesOf));
    case 'BatchWriteItem':
      return tables(input.RequestItems).flatMap((requests) =>
        list(requests).flatMap((request) => {
          const put = request.PutRequest as Item | undefined;
          const del = request.DeleteRequest as Item | undefined;
          return partitionValuesOf(put ? put.Item : del?.Key);
        }),
      );
    case 'TransactGetItems':
      return list(input.TransactItems).flatMap((entry) => partitionValuesOf((entry.Get as Item | undefined)?.Key));
    case 'TransactWriteItems':
      return list(input.TransactItems).flatMap((entry) => {
        if (entry.Put) return partitionValuesOf((entry.Put as Item).Item);
        const keyed = (entry.Update ?? entry.Delete ?? entry.ConditionCheck) as Item | undefined;
        return partitionValuesOf(keyed?.Key);
      });
    default:
      return null;
  }
}

/** `GetItemCommand` / `GetCommand` → `GetItem` (the document client's short names mapped to DynamoDB's). */
const DOCUMENT_NAMES: Readonly<Record<string, string>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
export function operationOf(commandName: string | undefined): string {
  const name = (commandName ?? 'Unknown').replace(/Command$/, '');
  return DOCUMENT_NAMES[name] ?? name;
}

/**
 * Throws {@link TenantWallViolation} unless every partition key `input`
 * touches starts with `TENANT#<tenantId>#`.
 */
export function assertTenantKeys(tenantId: string, operation: string, input: Item): void {
  const values = partitionValuesFor(operation, input);
  if (values === null) throw new TenantWallViolation(tenantId, operation, 'the operation is not allowed in a tenant scope');
  if (values.length === 0) throw new TenantWallViolation(tenantId, operation, 'the command names no key');
  const prefix = `TENANT#${tenantId}#`;
  for (const value of values) {
    const key = stringOf(value);
    if (key === undefined) throw new TenantWallViolation(tenantId, operation, 'a partition key is missing or not a string');
    if (!key.startsWith(prefix)) throw new TenantWallViolation(tenantId, operation, `partition key ${JSON.stringify(key)} is outside the tenant`);
  }
}

/**
 * Adds the check to a client's middleware stack, first of all (`initialize`,
 * high priority), so a refused command is neither metered nor sent.
 * Outside a tenant scope it lets everything through.
 */
export function addTenantGuard(client: Pick<DynamoDBClient, 'middlewareStack'>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const tenantId = currentTenant();
      if (tenantId !== undefined) assertTenantKeys(tenantId, operationOf(context.commandName), args.input as Item);
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'tenantWallGuard' },
  );
}
