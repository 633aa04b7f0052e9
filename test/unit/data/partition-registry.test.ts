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

  it('carries the registrations of a transaction inside it: one call, committed with the write, each entry in its shard', async () => {
    const command = new TransactWriteCommand({
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
    });
    await doc.send(command);
    expect(operations()).toEqual(['TransactWriteItems']);
    const items = (sent[0]?.body.TransactItems ?? []) as { Put?: { TableName: string; Item: Record<string, { S: string }> } }[];
    expect(items).toHaveLength(7);
    const registrations = items.slice(4).map((entry) => entry.Put);
    expect(registrations.map((put) => put?.Item.SK?.S)).toEqual(['TENANT#acme#INCIDENT#2', 'TENANT#acme#OUTBOX#E1', 'TENANT#acme#SETTINGS']);
    expect(registrations[0]).toEqual({
      TableName: TABLE,
      Item: {
        PK: { S: `TENANT#acme#PARTITIONS#${registryShardOf('TENANT#acme#INCIDENT#2')}` },
        SK: { S: 'TENANT#acme#INCIDENT#2' },
        entity: { S: 'TenantPartition' },
      },
    });
    // The caller's command is left as it was (a retry sends it again), and the partitions count as registered now.
    expect(command.input.TransactItems).toHaveLength(4);
    await doc.send(command);
    expect(((sent[1]?.body.TransactItems ?? []) as unknown[]).length).toBe(4);
  });

  it('registers nothing when the transaction fails, so the retry carries the registrations again', async () => {
    transport.handle.mockImplementationOnce(async (request) => {
      sent.push({ target: request.headers['x-amz-target'] ?? '', body: JSON.parse(request.body) as Record<string, unknown> });
      const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', message: 'cancelled' });
      return { response: { statusCode: 400, headers: {}, body: Readable.from([Buffer.from(body)]) } };
    });
    const command = new TransactWriteCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: { PK: 'TENANT#acme#INCIDENT#9', SK: 'INCIDENT' } } }] });
    await expect(doc.send(command)).rejects.toThrow();
    await doc.send(command);
    expect(sent.map((request) => (request.body.TransactItems as unknown[]).length)).toEqual([2, 2]);
  });

  it('registers before the write in a batch when a transaction has no room left for its registrations', async () => {
    const items = Array.from({ length: 100 }, (_, index) => ({ Put: { TableName: TABLE, Item: { PK: `TENANT#acme#CI#${index}`, SK: 'CI' } } }));
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
    expect(operations()).toEqual(['BatchWriteItem', 'BatchWriteItem', 'BatchWriteItem', 'BatchWriteItem', 'TransactWriteItems']);
    expect(registered()).toHaveLength(100);
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
