/**
 * The partition registry on a real SDK client whose transport records what
 * reaches it: a write to a new partition of a tenant is preceded by its
 * registration (once per container), deletes and non-tenant keys register
 * nothing, and the registry never registers itself.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTITION_REGISTRY_SHARDS } from '#shared/data/keys.js';
import { addPartitionRegistry, forgetRegisteredPartitions, registryShardOf, writtenPartitions } from '#shared/data/partition-registry.js';
import { operationOf } from '#shared/data/tenant-guard.js';

const TABLE = 'itsm-test';
const sent: { target: string; body: Record<string, unknown> }[] = [];
const transport = {
  handle: vi.fn(async (request: { headers: Record<string, string>; body: string }) => {
    sent.push({ target: request.headers['x-amz-target'] ?? '', body: JSON.parse(request.body) as Record<string, unknown> });
    return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) } };
  }),
};
let low: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeEach(() => {
  sent.length = 0;
  forgetRegisteredPartitions();
  low = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts: 1,
    requestHandler: transport as never,
  });
  addPartitionRegistry(low, operationOf);
  doc = DynamoDBDocumentClient.from(low);
});
afterEach(() => low.destroy());

const operations = () => sent.map((request) => request.target.replace('DynamoDB_20120810.', ''));
const registered = () =>
  sent
    .filter((request) => request.target.endsWith('BatchWriteItem'))
    .flatMap((request) => (request.body.RequestItems as Record<string, { PutRequest?: { Item: { SK: { S: string } } } }[]>)[TABLE] ?? [])
    .map((entry) => entry.PutRequest?.Item.SK.S);

describe('partition registry', () => {
  it('registers a new partition before the write reaches it, once per container', async () => {
    await doc.send(new PutCommand({ TableName: TABLE, Item: { PK: 'TENANT#acme#INCIDENT#1', SK: 'INCIDENT' } }));
    await doc.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { PK: 'TENANT#acme#INCIDENT#1', SK: 'INCIDENT' },
        UpdateExpression: 'SET a = :a',
        ExpressionAttributeValues: { ':a': 1 },
      }),
    );
    expect(operations()).toEqual(['BatchWriteItem', 'PutItem', 'UpdateItem']);
    expect(registered()).toEqual(['TENANT#acme#INCIDENT#1']);
  });

  it('registers every new partition of a transaction in one call, and the registry entry names its shard', async () => {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { PK: 'TENANT#acme#INCIDENT#2', SK: 'INCIDENT' } } },
          { Put: { TableName: TABLE, Item: { PK: 'TENANT#acme#OUTBOX#E1', SK: 'EVENT' } } },
          {
            Update: {
              TableName: TABLE,
              Key: { PK: 'TENANT#acme#SETTINGS', SK: 'INCIDENTS' },
              UpdateExpression: 'ADD seq :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { Delete: { TableName: TABLE, Key: { PK: 'TENANT#acme#GONE', SK: 'X' } } },
        ],
      }),
    );
    expect(operations()).toEqual(['BatchWriteItem', 'TransactWriteItems']);
    expect(registered()).toEqual(['TENANT#acme#INCIDENT#2', 'TENANT#acme#OUTBOX#E1', 'TENANT#acme#SETTINGS']);
    const first = ((sent[0]?.body.RequestItems ?? {}) as Record<string, { PutRequest: { Item: { PK: { S: string } } } }[]>)[TABLE]?.[0];
    expect(first?.PutRequest.Item.PK.S).toBe(`TENANT#acme#PARTITIONS#${registryShardOf('TENANT#acme#INCIDENT#2')}`);
  });

  it('registers nothing for deletes, for keys outside a tenant, or for the registry itself', async () => {
    await doc.send(new DeleteCommand({ TableName: TABLE, Key: { PK: 'TENANT#acme#INCIDENT#3', SK: 'INCIDENT' } }));
    await doc.send(new PutCommand({ TableName: TABLE, Item: { PK: 'GLOBAL#X', SK: 'Y' } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { PK: 'TENANT#acme#PARTITIONS#3', SK: 'TENANT#acme#X' } } }] } }));
    // Three commands, three requests: not one registration among them.
    expect(operations()).toEqual(['DeleteItem', 'PutItem', 'BatchWriteItem']);
  });

  it('finds the written partitions of every write shape', () => {
    expect(writtenPartitions('PutItem', { Item: { PK: { S: 'TENANT#a#P' } } })).toEqual(['TENANT#a#P']);
    expect(writtenPartitions('DeleteItem', { Key: { PK: 'TENANT#a#P' } })).toEqual([]);
    expect(writtenPartitions('GetItem', { Key: { PK: 'TENANT#a#P' } })).toEqual([]);
  });

  it('spreads partitions over every shard, each in range', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (suffix) => {
        const shard = registryShardOf(`TENANT#acme#${suffix}`);
        return Number.isInteger(shard) && shard >= 0 && shard < PARTITION_REGISTRY_SHARDS;
      }),
    );
    const shards = new Set(Array.from({ length: 200 }, (_, index) => registryShardOf(`TENANT#acme#INCIDENT#${index}`)));
    expect(shards.size).toBe(PARTITION_REGISTRY_SHARDS);
  });
});
