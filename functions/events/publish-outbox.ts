/**
 * The outbox publisher: DynamoDB stream records of new outbox items →
 * EventBridge. At least once: when some events cannot be published, the
 * first failed record is reported, and the stream hands that record and
 * every later one of the batch back (so order per item is kept and
 * redelivered events carry the same `eventId`).
 * @module
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishEvents } from '#shared/events/event-bus.js';
import { outboxEventOf } from '#shared/events/outbox-stream.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

async function handle(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const carried = event.Records.flatMap((record) => {
    const outbox = outboxEventOf(record);
    return outbox ? [{ record, outbox }] : [];
  });
  const failed = new Set((await publishEvents(carried.map(({ outbox }) => outbox))).map((outbox) => outbox.eventId));
  const firstFailure = carried.find(({ outbox }) => failed.has(outbox.eventId));
  if (!firstFailure) return { batchItemFailures: [] };
  logger.warn('Events not published; the stream will redeliver them', { failed: failed.size, of: carried.length });
  return { batchItemFailures: [{ itemIdentifier: firstFailure.record.dynamodb?.SequenceNumber ?? '' }] };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('events/publish-outbox', handle);
