/**
 * Human-readable record numbers (`INC0001001`, `CHG0001001`, `REL…`,
 * `PRB…`, `IMP…`): one atomic per-tenant counter and one format. Numbers are
 * never reused; a create that fails afterwards leaves a gap, which is the
 * price of not locking the counter.
 * @module
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import { type PrimaryKey, sequenceKey } from './keys.js';

/** The `n`th number of `prefix`: `INC0001001` for the first incident, as the seeds' examples do. */
export function formatNumber(prefix: string, n: number): string {
  return `${prefix}${String(1000 + n).padStart(7, '0')}`;
}

/**
 * Adds one to the `seq` attribute of the item at `key` (creating it, with
 * `entity`, if need be) and returns the new value with the whole item, so
 * a counter kept on a settings item gives those settings in the same call.
 */
export async function incrementSequence(key: PrimaryKey, entity: string): Promise<{ seq: number; item: Record<string, unknown> }> {
  const result = await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD seq :one SET entity = :entity',
      ExpressionAttributeValues: { ':one': 1, ':entity': entity },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const item = result.Attributes ?? {};
  return { seq: Number(item.seq ?? 1), item };
}

/** Takes the tenant's next number with `prefix` (its own sequence item per prefix). */
export async function allocateNumber(tenantId: string, prefix: string): Promise<string> {
  const { seq } = await incrementSequence(sequenceKey(tenantId, prefix), 'NumberSequence');
  return formatNumber(prefix, seq);
}
