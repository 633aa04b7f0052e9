import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allocateNumber, formatNumber } from '#shared/data/number-sequence.js';

const ddb = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME = 'itsm-test';
});

afterEach(() => {
  ddb.reset();
});

describe('formatNumber: one format for every record type', () => {
  it.each([
    { prefix: 'INC', n: 1, number: 'INC0001001' },
    { prefix: 'CHG', n: 1, number: 'CHG0001001' },
    { prefix: 'REL', n: 42, number: 'REL0001042' },
    { prefix: 'PRB', n: 1, number: 'PRB0001001' },
    { prefix: 'IMP', n: 8999, number: 'IMP0009999' },
    { prefix: 'INC', n: 9_999_000, number: 'INC10000000' },
  ])('$prefix #$n → $number', ({ prefix, n, number }) => {
    expect(formatNumber(prefix, n)).toBe(number);
  });
});

describe('allocateNumber', () => {
  it('adds one to the prefix sequence in the settings partition and formats the new value', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { seq: 7 } });

    // Act
    const number = await allocateNumber('t1', 'CHG');

    // Assess
    expect(number).toBe('CHG0001007');
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: 'itsm-test',
      Key: { PK: 'TENANT#t1#SETTINGS', SK: 'SEQ#CHG' },
      UpdateExpression: 'ADD seq :one SET entity = :entity',
      ExpressionAttributeValues: { ':one': 1, ':entity': 'NumberSequence' },
    });
  });
});
