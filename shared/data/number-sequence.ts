/**
 * Human-readable numbers of changes (`CHG0001001`) and releases
 * (`REL0001001`) from an atomic per-tenant counter. Numbers are never
 * reused; a create that fails afterwards leaves a gap.
 * @module
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import { sequenceKey } from './keys.js';

const PREFIX = { CHANGES: 'CHG', RELEASES: 'REL' } as const;

/** `CHG0001001` for the first change, as incident numbers start at INC0001001. */
export function formatNumber(sequence: 'CHANGES' | 'RELEASES', value: number): string {
  return `${PREFIX[sequence]}${String(1000 + value).padStart(7, '0')}`;
}

export async function allocateNumber(tenantId: string, sequence: 'CHANGES' | 'RELEASES'): Promise<string> {
  const result = await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: sequenceKey(tenantId, sequence),
      UpdateExpression: 'ADD seq :one SET entity = :entity',
      ExpressionAttributeValues: { ':one': 1, ':entity': 'Sequence' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatNumber(sequence, (result.Attributes?.seq as number | undefined) ?? 1);
}
