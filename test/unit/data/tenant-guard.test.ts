/**
 * The application half of the tenant wall, on a real SDK client whose
 * transport records what reaches it: a command inside the tenant's keys
 * gets to the wire, any other is refused before it is sent.
 */
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addTenantGuard, assertTenantKeys, TenantWallViolation } from '#shared/data/tenant-guard.js';
import { currentTenant, runInTenantScope } from '#shared/data/tenant-scope.js';

const TABLE = 'itsm-test';
const OWN = 'TENANT#acme#INCIDENT#1';
const OTHER = 'TENANT#globex#INCIDENT#1';
/** Shares the prefix without the separator: must not pass for `acme`. */
const LOOKALIKE = 'TENANT#acme-corp#INCIDENT#1';
const UNPREFIXED = 'INCIDENT#1';

/** Thrown by the fake transport: a command that reaches it was sent. */
class Sent extends Error {}

const transport = { handle: vi.fn(async () => Promise.reject(new Sent('sent'))) };
let doc: DynamoDBDocumentClient;
let low: DynamoDBClient;

beforeEach(() => {
  transport.handle.mockClear();
  low = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: transport as never,
  });
  addTenantGuard(low);
  doc = DynamoDBDocumentClient.from(low);
});
afterEach(() => low.destroy());

/** Sends any document command: `send`'s overloads take each command class, not their union. */
const send = (command: object) => doc.send(command as GetCommand);

/** Every command shape the repositories use, with `pk` as every partition key it carries. */
const shapes: Record<string, (pk: string) => object> = {
  Get: (pk) => new GetCommand({ TableName: TABLE, Key: { PK: pk, SK: 'A' } }),
  Put: (pk) => new PutCommand({ TableName: TABLE, Item: { PK: pk, SK: 'A', title: 'x' } }),
  'Put (index key)': (pk) => new PutCommand({ TableName: TABLE, Item: { PK: OWN, SK: 'A', GSI3PK: pk } }),
  Update: (pk) =>
    new UpdateCommand({
      TableName: TABLE,
      Key: { PK: pk, SK: 'A' },
      UpdateExpression: 'SET #t = :t',
      ExpressionAttributeNames: { '#t': 't' },
      ExpressionAttributeValues: { ':t': 1 },
    }),
  Delete: (pk) => new DeleteCommand({ TableName: TABLE, Key: { PK: pk, SK: 'A' } }),
  Query: (pk) =>
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)', ExpressionAttributeValues: { ':pk': pk, ':p': 'A' } }),
  'Query (index)': (pk) =>
    new QueryCommand({ TableName: TABLE, IndexName: 'GSI7', KeyConditionExpression: 'GSI7PK = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  'Query (attribute name)': (pk) =>
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'GSI1',
      KeyConditionExpression: '#pk=:v AND QSK BETWEEN :a AND :b',
      ExpressionAttributeNames: { '#pk': 'GSI1PK' },
      ExpressionAttributeValues: { ':v': pk, ':a': '0', ':b': '9' },
    }),
  BatchGet: (pk) =>
    new BatchGetCommand({
      RequestItems: {
        [TABLE]: {
          Keys: [
            { PK: OWN, SK: 'A' },
            { PK: pk, SK: 'B' },
          ],
        },
      },
    }),
  'BatchWrite (put)': (pk) => new BatchWriteCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { PK: pk, SK: 'A' } } }] } }),
  'BatchWrite (delete)': (pk) =>
    new BatchWriteCommand({ RequestItems: { [TABLE]: [{ DeleteRequest: { Key: { PK: OWN, SK: 'A' } } }, { DeleteRequest: { Key: { PK: pk, SK: 'B' } } }] } }),
  TransactGet: (pk) =>
    new TransactGetCommand({
      TransactItems: [{ Get: { TableName: TABLE, Key: { PK: OWN, SK: 'A' } } }, { Get: { TableName: TABLE, Key: { PK: pk, SK: 'B' } } }],
    }),
  'TransactWrite (put)': (pk) => new TransactWriteCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: { PK: pk, SK: 'A' } } }] }),
  'TransactWrite (update)': (pk) =>
    new TransactWriteCommand({
      TransactItems: [{ Update: { TableName: TABLE, Key: { PK: pk, SK: 'A' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } } }],
    }),
  'TransactWrite (delete)': (pk) => new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: TABLE, Key: { PK: pk, SK: 'A' } } }] }),
  'TransactWrite (condition check)': (pk) =>
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: TABLE, Item: { PK: OWN, SK: 'A' } } },
        { ConditionCheck: { TableName: TABLE, Key: { PK: pk, SK: 'B' }, ConditionExpression: 'attribute_exists(PK)' } },
      ],
    }),
};

describe('inside the scope of tenant acme', () => {
  for (const [shape, command] of Object.entries(shapes)) {
    describe(shape, () => {
      it("sends a command on the tenant's own keys", async () => {
        await expect(runInTenantScope('acme', () => send(command(OWN)))).rejects.toBeInstanceOf(Sent);
        expect(transport.handle).toHaveBeenCalledTimes(1);
      });

      for (const [what, key] of [
        ['another tenant', OTHER],
        ['a tenant whose id merely starts with the same letters', LOOKALIKE],
        ['a key without a tenant prefix', UNPREFIXED],
      ] as const) {
        it(`refuses ${what} before sending`, async () => {
          await expect(runInTenantScope('acme', () => send(command(key)))).rejects.toBeInstanceOf(TenantWallViolation);
          expect(transport.handle).not.toHaveBeenCalled();
        });
      }
    });
  }

  it('checks marshalled keys of the low-level client too', async () => {
    await expect(
      runInTenantScope('acme', () => low.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: OTHER }, SK: { S: 'A' } } }))),
    ).rejects.toBeInstanceOf(TenantWallViolation);
    await expect(
      runInTenantScope('acme', () => low.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: OWN }, SK: { S: 'A' } } }))),
    ).rejects.toBeInstanceOf(Sent);
  });

  it('refuses a Scan, which no key confines', async () => {
    await expect(runInTenantScope('acme', () => low.send(new ScanCommand({ TableName: TABLE })))).rejects.toBeInstanceOf(TenantWallViolation);
    expect(transport.handle).not.toHaveBeenCalled();
  });

  it('refuses a Query whose condition names no partition key, and a key that is not a string', () => {
    expect(() => assertTenantKeys('acme', 'Query', { KeyConditionExpression: 'SK = :s', ExpressionAttributeValues: { ':s': OWN } })).toThrow(
      TenantWallViolation,
    );
    expect(() => assertTenantKeys('acme', 'GetItem', { Key: { PK: 42, SK: 'A' } })).toThrow(/not a string/);
    expect(() => assertTenantKeys('acme', 'TransactWriteItems', { TransactItems: [] })).toThrow(/names no key/);
  });

  it('follows the scope through awaits and timers, and ends with it', async () => {
    await runInTenantScope('acme', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentTenant()).toBe('acme');
      await expect(send(shapes.Get?.(OTHER) ?? {})).rejects.toBeInstanceOf(TenantWallViolation);
    });
    expect(currentTenant()).toBeUndefined();
  });
});

describe('outside any tenant scope (background work)', () => {
  it('lets every key through: the function role and its own checks apply', async () => {
    await expect(doc.send(new GetCommand({ TableName: TABLE, Key: { PK: OTHER, SK: 'A' } }))).rejects.toBeInstanceOf(Sent);
    await expect(doc.send(new GetCommand({ TableName: TABLE, Key: { PK: UNPREFIXED, SK: 'A' } }))).rejects.toBeInstanceOf(Sent);
  });
});

describe('runInTenantScope', () => {
  it('re-enters the same tenant, and refuses to switch tenants or take an unsafe id', () => {
    expect(runInTenantScope('acme', () => runInTenantScope('acme', () => currentTenant()))).toBe('acme');
    expect(() => runInTenantScope('acme', () => runInTenantScope('globex', () => 1))).toThrow(/cannot switch/);
    expect(() => runInTenantScope('acme#x', () => 1)).toThrow(/Not a tenant id/);
  });
});
