/**
 * The outbox publisher with a mocked EventBridge: batching, retry of
 * partially failed batches, and the batch-item failure it reports so the
 * stream redelivers from the first unpublished record.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const eventBridge = mockClient(EventBridgeClient);
let handler: typeof import('../../../../functions/events/publish-outbox.js').handler;

beforeAll(async () => {
  process.env.EVENT_BUS_NAME = 'itsm-test';
  ({ handler } = await import('../../../../functions/events/publish-outbox.js'));
});

afterEach(() => eventBridge.reset());

function outboxRecord(sequence: number, overrides: Partial<DynamoDBRecord> = {}): DynamoDBRecord {
  const item = {
    PK: `TENANT#acme#OUTBOX#E${sequence}`,
    SK: 'EVENT',
    entity: 'OutboxEvent',
    eventId: `E${sequence}`,
    source: 'itsm.incidents',
    detailType: 'IncidentCreated',
    detail: { eventId: `E${sequence}`, tenantId: 'acme', occurredAt: '2026-11-22T10:00:00.000Z', number: `INC${sequence}` },
  };
  return {
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(1000 + sequence), NewImage: marshall(item) as never },
    ...overrides,
  };
}

const sentEventIds = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input as PutEventsCommandInput).Entries?.map((entry) => JSON.parse(entry.Detail ?? '{}').eventId) ?? []);

describe('publish-outbox', () => {
  it('publishes every outbox insert in batches of ten and reports no failure', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: input.Entries?.map((_, index) => ({ EventId: `x${index}` })) }));
    const records = Array.from({ length: 23 }, (_, index) => outboxRecord(index));
    // Act
    const result = await handler({ Records: records });
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    const first = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(first).toMatchObject({ EventBusName: 'itsm-test', Source: 'itsm.incidents', DetailType: 'IncidentCreated' });
    expect(sentEventIds()).toEqual(records.map((_, index) => `E${index}`));
  });

  it('ignores records that carry no outbox event', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const modify = outboxRecord(1, { eventName: 'MODIFY' });
    const audit = outboxRecord(2);
    (audit.dynamodb as { NewImage: Record<string, unknown> }).NewImage.entity = { S: 'AuditEntry' };
    const result = await handler({ Records: [modify, audit] });
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('retries only the entries EventBridge refused', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure' }, { EventId: 'c' }, { ErrorCode: 'ThrottlingException' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });
    const result = await handler({ Records: [0, 1, 2, 3].map((index) => outboxRecord(index)) });
    expect(result.batchItemFailures).toEqual([]);
    expect(sentEventIds()).toEqual(['E0', 'E1', 'E2', 'E3', 'E1', 'E3']);
  });

  it('reports the first record it could not publish, so the stream redelivers from there', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: input.Entries?.map((entry) => (JSON.parse(entry.Detail ?? '{}').eventId === 'E2' ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' })),
    }));
    const result = await handler({ Records: [0, 1, 2, 3].map((index) => outboxRecord(index)) });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1002' }]);
  });

  it('lets an unreachable EventBridge fail the whole batch (the stream retries it)', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
    await expect(handler({ Records: [outboxRecord(0)] })).rejects.toThrow('ECONNREFUSED');
  });
});
