/**
 * Records found by their human-readable number (`CHG0001001`, `REL0001001`):
 * the keys-only number index (GSI7) names the record's partition, whose
 * last segment is its id.
 * @module
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.js';
import { numberLookupKey } from './keys.js';

/** The id of the record numbered `number` in the tenant, or null. */
export async function idByNumber(tenantId: string, number: string): Promise<string | null> {
  const { indexName, partitionKey } = numberLookupKey(tenantId, number);
  const result = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: indexName,
      KeyConditionExpression: 'GSI7PK = :pk',
      ExpressionAttributeValues: { ':pk': partitionKey },
      Limit: 1,
    }),
  );
  return (result.Items?.[0]?.PK as string | undefined)?.split('#').at(-1) ?? null;
}
