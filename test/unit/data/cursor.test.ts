import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/data/cursor.js';
import { GLOBAL_INDEXES } from '#shared/data/table-definition.js';

/** Key attributes of an index, from the table definition (the cursor accepts exactly those). */
function indexAttributes(indexName: string): { partition: string; sort: string } {
  const index = GLOBAL_INDEXES.find((candidate) => candidate.indexName === indexName);
  if (!index?.sortKey) throw new Error(`Index ${indexName} with a sort key is missing from the table definition.`);
  return { partition: index.partitionKey, sort: index.sortKey };
}

const STATUS = indexAttributes('GSI2');
const ALL = indexAttributes('GSI1');

import { ValidationError } from '#shared/domain/errors.js';

const PARTITION = 'TENANT#acme#INCIDENTS#STATUS#new';
const lastKey = {
  PK: 'TENANT#acme#INCIDENT#01JH0000000000000000000000',
  SK: 'INCIDENT',
  [STATUS.partition]: PARTITION,
  [STATUS.sort]: 'P2#2025-01-10T09:00:00.000Z#01JH0000000000000000000000',
};

/** A cursor made of arbitrary JSON text, as a client could forge it. */
const forged = (json: string) => Buffer.from(json).toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a LastEvaluatedKey', () => {
    const cursor = encodeCursor(lastKey);

    expect(cursor).not.toBeNull();
    expect(decodeCursor(cursor as string, STATUS.partition, PARTITION)).toEqual(lastKey);
  });

  it('round-trips any string-valued key of the partition being read', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (partition, pk, sk, sort) => {
        const key = { PK: pk, SK: sk, [ALL.partition]: partition, [ALL.sort]: sort };
        const cursor = encodeCursor(key) as string;
        expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeCursor(cursor, ALL.partition, partition)).toEqual(key);
      }),
    );
  });

  it('has no cursor for the last page', () => {
    expect(encodeCursor(undefined)).toBeNull();
  });

  it('reads the first page when no cursor is given', () => {
    expect(decodeCursor(undefined, STATUS.partition, PARTITION)).toBeUndefined();
  });

  it.each([
    {
      name: 'is for another partition (status queue)',
      cursor: encodeCursor({ ...lastKey, [STATUS.partition]: 'TENANT#acme#INCIDENTS#STATUS#resolved' }) as string,
    },
    { name: 'is for another tenant', cursor: encodeCursor({ ...lastKey, [STATUS.partition]: 'TENANT#globex#INCIDENTS#STATUS#new' }) as string },
    { name: 'lacks the partition attribute', cursor: encodeCursor({ PK: lastKey.PK, SK: lastKey.SK }) as string },
    { name: 'is not JSON', cursor: forged('{"PK": "a"') },
    { name: 'is not base64url JSON at all', cursor: '!!not a cursor!!' },
    { name: 'is empty', cursor: '' },
    { name: 'is a JSON array', cursor: forged(JSON.stringify([PARTITION])) },
    { name: 'is JSON null', cursor: forged('null') },
    { name: 'is a JSON string', cursor: forged(JSON.stringify(PARTITION)) },
    { name: 'is a JSON number', cursor: forged('42') },
    { name: 'names a non-key attribute', cursor: forged(JSON.stringify({ ...lastKey, title: 'x' })) },
    { name: 'names __proto__', cursor: forged(`{${JSON.stringify(STATUS.partition)}:${JSON.stringify(PARTITION)},"__proto__":{"x":"y"}}`) },
    { name: 'has a number value', cursor: forged(JSON.stringify({ ...lastKey, SK: 1 })) },
    { name: 'has a null value', cursor: forged(JSON.stringify({ ...lastKey, SK: null })) },
    { name: 'has an object value', cursor: forged(JSON.stringify({ ...lastKey, [STATUS.sort]: { S: 'x' } })) },
    { name: 'has a DynamoDB-JSON partition value', cursor: forged(JSON.stringify({ ...lastKey, [STATUS.partition]: { S: PARTITION } })) },
  ])('refuses a cursor that $name with a 400', ({ cursor }) => {
    // Act
    let thrown: unknown;
    try {
      decodeCursor(cursor, STATUS.partition, PARTITION);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.kind).toBe('invalid');
    expect(error.errors).toEqual([{ field: 'query.cursor', message: expect.any(String) }]);
  });
});
