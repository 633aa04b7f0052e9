import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IdempotencyClaim, Mutation, RecordWrite } from '#shared/data/commit-mutation.js';
import { incidentKey, incidentSettingsKey, noteKey } from '#shared/data/incidents/keys.js';
import { CONFLICT_RETRY } from '#shared/data/retry.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ServiceUnavailableError, UnprocessableError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent } from '#shared/events/outbox-event.js';

// The data modules read the table name from the environment; set it before they load.
vi.stubEnv('TABLE_NAME', 'itsm-test');
vi.stubEnv('AWS_REGION', 'us-east-1');

let commitMutation: typeof import('#shared/data/commit-mutation.js').commitMutation;
let IdempotentReplay: typeof import('#shared/data/commit-mutation.js').IdempotentReplay;
let IDEMPOTENCY_TTL_SECONDS: number;

beforeAll(async () => {
  ({ commitMutation, IdempotentReplay, IDEMPOTENCY_TTL_SECONDS } = await import('#shared/data/commit-mutation.js'));
});

const ddb = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  ddb.reset();
});

const TENANT = 'acme';
const INCIDENT_ID = '01JH0000000000000000000000';
const OCCURRED_AT = '2025-01-10T09:00:00.000Z';
const actor: Actor = { tenantId: TENANT, userId: 'agent-1', roles: ['agent'] };
const claim: IdempotencyClaim = {
  key: 'create-42',
  requestHash: 'hash-of-the-request',
  response: { statusCode: 201, headers: { location: `/incidents/${INCIDENT_ID}` }, body: { id: INCIDENT_ID, version: 1 } },
};

function event() {
  return buildEvent('IncidentCreated', {
    tenantId: TENANT,
    occurredAt: OCCURRED_AT,
    actor: { userId: actor.userId, roles: [...actor.roles] },
    incidentId: INCIDENT_ID,
    number: 'INC0001001',
    version: 1,
    status: 'new',
    priority: 3,
    assignmentGroup: null,
    assigneeId: null,
    majorIncident: false,
    changes: [{ field: 'status', from: null, to: 'new' }],
    facts: {},
  });
}

const record = { ...incidentKey(TENANT, INCIDENT_ID), entity: 'Incident', id: INCIDENT_ID, version: 2 };

function mutation(write: RecordWrite, extra: Partial<Mutation> = {}): Mutation {
  return {
    actor,
    recordType: 'Incident',
    recordId: INCIDENT_ID,
    write,
    audit: { action: 'create', version: 1, changes: [{ field: 'status', from: null, to: 'new' }], facts: { why: 'test' } },
    event: event(),
    ...extra,
  };
}

const create = (extra: Partial<Mutation> = {}) => mutation({ kind: 'create', item: record }, extra);
const replace = (ifMatch: boolean) => mutation({ kind: 'replace', item: { ...record, version: 3 }, expectedVersion: 2, ifMatch });
const update = (ifMatch: boolean) =>
  mutation({
    kind: 'update',
    key: incidentSettingsKey(TENANT),
    update: { UpdateExpression: 'SET a = :a', ConditionExpression: 'matrixVersion = :expected', ExpressionAttributeValues: { ':a': 1, ':expected': 1 } },
    ifMatch,
  });

type Reason = NonNullable<TransactionCanceledException['CancellationReasons']>[number];

function cancelled(...reasons: Reason[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
}

const NONE: Reason = { Code: 'None' };
const CONDITION_FAILED: Reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
/** The old record as DynamoDB returns it with ReturnValuesOnConditionCheckFailure: DynamoDB JSON. */
const OLD_RECORD: Record<string, AttributeValue> = { PK: { S: record.PK }, SK: { S: record.SK }, version: { N: '5' } };

/** The stored idempotency record in DynamoDB JSON, as a cancellation reason carries it. */
function storedIdempotency(requestHash: string): Record<string, AttributeValue> {
  return {
    PK: { S: `TENANT#${TENANT}#IDEMPOTENCY#agent-1#create-42` },
    SK: { S: 'IDEMPOTENCY' },
    requestHash: { S: requestHash },
    response: {
      M: {
        statusCode: { N: '201' },
        headers: { M: { location: { S: '/incidents/01JH0000000000000000000099' } } },
        body: { M: { id: { S: '01JH0000000000000000000099' }, version: { N: '1' }, tags: { L: [{ S: 'vpn' }] }, assigneeId: { NULL: true } } },
      },
    },
  };
}

function sentItems(call = 0): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const calls = ddb.commandCalls(TransactWriteCommand);
  return calls[call]?.args[0].input.TransactItems ?? [];
}

function keyOf(item: NonNullable<TransactWriteCommandInput['TransactItems']>[number]): Record<string, unknown> {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key;
  return key as Record<string, unknown>;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject.');
}

describe('commitMutation: what is written', () => {
  it('a create sends ONE transaction: item, audit, outbox and idempotency record', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const outcome = await commitMutation(create({ idempotency: claim }));

    // Assess
    expect(outcome).toBeNull();
    expect(ddb.calls()).toHaveLength(1);
    const items = sentItems();
    expect(items).toHaveLength(4);
    const [item, audit, outbox, idempotency] = items.map((entry) => entry.Put);
    expect(item).toMatchObject({ Item: record, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(audit?.Item).toMatchObject({
      PK: record.PK,
      entity: 'AuditEntry',
      recordType: 'Incident',
      recordId: INCIDENT_ID,
      action: 'create',
      version: 1,
      actorId: 'agent-1',
      actorRoles: ['agent'],
      at: OCCURRED_AT,
      eventId: outbox?.Item?.eventId,
    });
    expect(String(audit?.Item?.SK)).toMatch(/^AUDIT#/);
    expect(outbox?.Item).toMatchObject({ entity: 'OutboxEvent', source: 'itsm.incidents', detailType: 'IncidentCreated', createdAt: OCCURRED_AT });
    expect(idempotency).toMatchObject({
      Item: { entity: 'IdempotencyRecord', requestHash: claim.requestHash, response: claim.response },
      ConditionExpression: 'attribute_not_exists(PK)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(String(idempotency?.Item?.PK)).toContain('agent-1');
    expect(String(idempotency?.Item?.PK)).toContain('create-42');
  });

  it('every key written starts with TENANT#<id># and every item goes to the table', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const note = { ...noteKey(TENANT, INCIDENT_ID, 'n1'), entity: 'IncidentNote', body: 'hi' };

    await commitMutation(create({ idempotency: claim, extraItems: [note] }));

    const items = sentItems();
    expect(items).toHaveLength(5);
    for (const item of items) {
      expect(String(keyOf(item).PK).startsWith(`TENANT#${TENANT}#`)).toBe(true);
      expect(item.Put?.TableName ?? item.Update?.TableName).toBe('itsm-test');
    }
  });

  it('without an idempotency claim there are three items', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await commitMutation(create());

    expect(sentItems().map((item) => item.Put?.Item?.entity)).toEqual(['Incident', 'AuditEntry', 'OutboxEvent']);
  });

  it('extra items are created (never overwritten) in the same transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const note = { ...noteKey(TENANT, INCIDENT_ID, 'n1'), entity: 'IncidentNote', body: 'hi' };

    await commitMutation(create({ extraItems: [note] }));

    const items = sentItems();
    expect(items.map((item) => item.Put?.Item?.entity)).toEqual(['Incident', 'IncidentNote', 'AuditEntry', 'OutboxEvent']);
    expect(items[1]?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('outbox and idempotency records expire after 7 days and 24 hours', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await commitMutation(create({ idempotency: claim }));

    const occurred = Date.parse(OCCURRED_AT) / 1000;
    const [, , outbox, idempotency] = sentItems();
    expect(outbox?.Put?.Item?.expiresAt).toBe(occurred + 7 * 24 * 3600);
    expect(idempotency?.Put?.Item?.expiresAt).toBe(occurred + 24 * 3600);
    expect(IDEMPOTENCY_TTL_SECONDS).toBe(24 * 3600);
  });

  it('a replace is conditional on the version read', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await commitMutation(replace(true));

    expect(sentItems()[0]?.Put).toMatchObject({
      Item: { version: 3 },
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expectedVersion': 2 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('an update keeps its own expressions and its audit lives in the record partition', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await commitMutation(update(false));

    const [first, audit] = sentItems();
    expect(first?.Update).toMatchObject({ Key: incidentSettingsKey(TENANT), UpdateExpression: 'SET a = :a', ConditionExpression: 'matrixVersion = :expected' });
    expect(audit?.Put?.Item?.PK).toBe(incidentSettingsKey(TENANT).PK);
  });
});

describe('commitMutation: conflicts on the record', () => {
  it.each([
    {
      name: 'replace with If-Match, record changed',
      make: () => replace(true),
      reasons: [{ ...CONDITION_FAILED, Item: OLD_RECORD }, NONE, NONE],
      error: PreconditionFailedError,
      kind: 'precondition-failed',
    },
    {
      name: 'replace without If-Match, record changed',
      make: () => replace(false),
      reasons: [{ ...CONDITION_FAILED, Item: OLD_RECORD }, NONE, NONE],
      error: ConflictError,
      kind: 'conflict',
    },
    { name: 'replace, record gone', make: () => replace(true), reasons: [CONDITION_FAILED, NONE, NONE], error: NotFoundError, kind: 'not-found' },
    {
      name: 'update with If-Match, record changed',
      make: () => update(true),
      reasons: [{ ...CONDITION_FAILED, Item: OLD_RECORD }, NONE, NONE],
      error: PreconditionFailedError,
      kind: 'precondition-failed',
    },
    {
      name: 'update without If-Match, record changed',
      make: () => update(false),
      reasons: [{ ...CONDITION_FAILED, Item: OLD_RECORD }, NONE, NONE],
      error: ConflictError,
      kind: 'conflict',
    },
    {
      name: 'create, record exists',
      make: () => create(),
      reasons: [{ ...CONDITION_FAILED, Item: OLD_RECORD }, NONE, NONE],
      error: ConflictError,
      kind: 'conflict',
    },
  ])('$name → $error.name ($kind)', async ({ make, reasons, error, kind }) => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));

    // Act
    const thrown = await rejectionOf(commitMutation(make()));

    // Assess
    expect(thrown).toBeInstanceOf(error);
    expect((thrown as InstanceType<typeof error>).kind).toBe(kind);
    expect(ddb.calls()).toHaveLength(1);
  });

  it('a failed condition on an extra item is a 409', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(NONE, CONDITION_FAILED, NONE, NONE));
    const note = { ...noteKey(TENANT, INCIDENT_ID, 'n1'), entity: 'IncidentNote' };

    const thrown = await rejectionOf(commitMutation({ ...replace(true), extraItems: [note] }));

    expect(thrown).toBeInstanceOf(ConflictError);
  });
});

describe('commitMutation: related updates', () => {
  const related = {
    key: { PK: `TENANT#${TENANT}#ALERT#abc`, SK: 'ALERT' },
    update: {
      UpdateExpression: 'SET #ack = :now',
      ConditionExpression: '#incidentId = :incidentId',
      ExpressionAttributeNames: { '#ack': 'acknowledgedAt', '#incidentId': 'incidentId' },
      ExpressionAttributeValues: { ':now': OCCURRED_AT, ':incidentId': INCIDENT_ID },
    },
  };

  it('are conditional updates in the same transaction, after the extra items', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const note = { ...noteKey(TENANT, INCIDENT_ID, 'n1'), entity: 'IncidentNote', body: 'hi' };

    await commitMutation({ ...replace(false), extraItems: [note], relatedUpdates: [related] });

    const items = sentItems();
    expect(items).toHaveLength(5);
    expect(items[1]?.Put?.Item?.entity).toBe('IncidentNote');
    expect(items[2]?.Update).toEqual({ TableName: 'itsm-test', Key: related.key, ...related.update });
  });

  it('a failed condition on one is a 409 that says it changed, not that it exists', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(NONE, CONDITION_FAILED, NONE, NONE));

    const thrown = await rejectionOf(commitMutation({ ...replace(false), relatedUpdates: [related] }));

    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as ConflictError).message).toMatch(/changed concurrently/);
  });
});

describe('commitMutation: related deletes and audit copies', () => {
  const otherEdge = { PK: `TENANT#${TENANT}#CI#VM`, SK: 'REL#IN#runs_on#APP' };

  it('deletes existing items in the same transaction and copies the audit entry into other partitions', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await commitMutation({ ...replace(false), relatedDeletes: [otherEdge], auditAlsoIn: [otherEdge.PK] });

    const items = sentItems();
    expect(items).toHaveLength(5);
    expect(items[1]?.Delete).toEqual({ TableName: 'itsm-test', Key: otherEdge, ConditionExpression: 'attribute_exists(PK)' });
    const audits = items.filter((item) => item.Put?.Item?.entity === 'AuditEntry').map((item) => item.Put?.Item as Record<string, unknown>);
    expect(audits.map((audit) => audit.PK)).toEqual([record.PK, otherEdge.PK]);
    // One entry, two places: the same id and content in both partitions.
    expect(audits[0]?.SK).toBe(audits[1]?.SK);
    expect({ ...audits[0], PK: null }).toEqual({ ...audits[1], PK: null });
  });

  it('a related delete of an item that is gone is a 409', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(NONE, CONDITION_FAILED, NONE, NONE));

    const thrown = await rejectionOf(commitMutation({ ...replace(false), relatedDeletes: [otherEdge] }));

    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as ConflictError).message).toMatch(/changed concurrently/);
  });
});

describe('commitMutation: idempotency', () => {
  it('a reused key with the same request replays the stored response', async () => {
    // Prepare: the record and idempotency item both exist; DynamoDB returns the old idempotency item.
    ddb.on(TransactWriteCommand).rejects(cancelled(NONE, NONE, NONE, { ...CONDITION_FAILED, Item: storedIdempotency(claim.requestHash) }));

    // Act
    const outcome = await commitMutation(create({ idempotency: claim }));

    // Assess
    expect(outcome).toBeInstanceOf(IdempotentReplay);
    expect(outcome?.response).toEqual({
      statusCode: 201,
      headers: { location: '/incidents/01JH0000000000000000000099' },
      body: { id: '01JH0000000000000000000099', version: 1, tags: ['vpn'], assigneeId: null },
    });
  });

  it('replays even when the record condition failed too', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(CONDITION_FAILED, NONE, NONE, { ...CONDITION_FAILED, Item: storedIdempotency(claim.requestHash) }));

    const outcome = await commitMutation(create({ idempotency: claim }));

    expect(outcome).toBeInstanceOf(IdempotentReplay);
  });

  it.each([
    { name: 'a different request hash', item: storedIdempotency('another-hash') },
    { name: 'no stored item returned', item: undefined },
  ])('a reused key with $name → 422', async ({ item }) => {
    ddb.on(TransactWriteCommand).rejects(cancelled(NONE, NONE, NONE, { ...CONDITION_FAILED, ...(item ? { Item: item } : {}) }));

    const thrown = await rejectionOf(commitMutation(create({ idempotency: claim })));

    expect(thrown).toBeInstanceOf(UnprocessableError);
    expect((thrown as UnprocessableError).kind).toBe('unprocessable');
    expect((thrown as UnprocessableError).extensions).toEqual({ idempotencyKey: claim.key });
  });
});

describe('commitMutation: transient failures', () => {
  it('retries a TransactionConflict and succeeds on the second attempt with the same items', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(NONE, { Code: 'TransactionConflict' }, NONE))
      .resolves({});

    // Act
    const outcome = await commitMutation(create());

    // Assess
    expect(outcome).toBeNull();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    // The retry writes the very same audit entry and event, not new ones.
    expect(sentItems(1)).toEqual(sentItems(0));
  });

  it('gives up after every attempt the retry policy allows with a 409', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: 'TransactionConflict' }, NONE, NONE));

    const thrown = await rejectionOf(commitMutation(create()));

    expect(thrown).toBeInstanceOf(ConflictError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(CONFLICT_RETRY.attempts);
  });

  it.each([
    { name: 'ThrottlingError', code: 'ThrottlingError' },
    { name: 'ProvisionedThroughputExceeded', code: 'ProvisionedThroughputExceeded' },
  ])('a cancellation for $name → 503 without retrying', async ({ code }) => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: code }, NONE, NONE));

    const thrown = await rejectionOf(commitMutation(create()));

    expect(thrown).toBeInstanceOf(ServiceUnavailableError);
    expect((thrown as ServiceUnavailableError).kind).toBe('unavailable');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'])('a %s from DynamoDB → 503', async (name) => {
    const error = Object.assign(new Error('Rate exceeded'), { name });
    ddb.on(TransactWriteCommand).rejects(error);

    const thrown = await rejectionOf(commitMutation(create()));

    expect(thrown).toBeInstanceOf(ServiceUnavailableError);
  });

  it('any other error passes through unchanged', async () => {
    const error = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    ddb.on(TransactWriteCommand).rejects(error);

    const thrown = await rejectionOf(commitMutation(create()));

    expect(thrown).toBe(error);
  });

  it('an unexplained cancellation is an internal error, not a domain error', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: 'ValidationError' }, NONE, NONE));

    const thrown = await rejectionOf(commitMutation(create()));

    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toHaveProperty('status');
  });

  describe('quota counters', () => {
    const quota = { key: { PK: 'TENANT#acme#SETTINGS', SK: 'QUOTA#cis' }, quota: 'cis' as const, delta: 1 as const, limit: 3 };

    it('a create takes a unit in the same transaction, conditional on the limit', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      await commitMutation(create({ quota }));
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      const counter = items.find((item) => item.Update?.Key?.SK === 'QUOTA#cis')?.Update;
      expect(counter).toMatchObject({
        UpdateExpression: expect.stringContaining('ADD #count :delta'),
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeValues: expect.objectContaining({ ':delta': 1, ':limit': 3 }),
      });
    });

    it('a release gives the unit back unconditionally', async () => {
      ddb.on(TransactWriteCommand).resolves({});
      await commitMutation(create({ quota: { ...quota, delta: -1, limit: 0 } }));
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      const counter = items.find((item) => item.Update?.Key?.SK === 'QUOTA#cis')?.Update;
      expect(counter?.ConditionExpression).toBeUndefined();
      expect(counter?.ExpressionAttributeValues).toMatchObject({ ':delta': -1 });
    });

    it('the counter at its limit → 422 naming the quota', async () => {
      // record, audit, outbox, quota
      ddb.on(TransactWriteCommand).rejects(cancelled(NONE, NONE, NONE, CONDITION_FAILED));
      const thrown = await rejectionOf(commitMutation(create({ quota })));
      expect(thrown).toBeInstanceOf(UnprocessableError);
      expect((thrown as UnprocessableError).extensions).toMatchObject({ quota: 'cis', limit: 3 });
    });

    it('with an idempotency key, the counter is the item before it', async () => {
      ddb.on(TransactWriteCommand).rejects(cancelled(NONE, NONE, NONE, CONDITION_FAILED, NONE));
      const thrown = await rejectionOf(commitMutation(create({ quota, idempotency: claim })));
      expect((thrown as UnprocessableError).extensions).toMatchObject({ quota: 'cis' });
    });
  });
});
