/**
 * The only code that publishes to EventBridge. Entries go out in batches of
 * ten (the PutEvents limit); entries EventBridge reports as failed are
 * retried with backoff, and whatever still fails is returned to the caller,
 * which decides how to retry (the outbox publisher hands it back to the
 * stream, so nothing is lost).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';
import type { OutboxEvent } from './outbox-event.js';

/** PutEvents accepts at most ten entries per call. */
export const PUT_EVENTS_BATCH = 10;
const PARTIAL_FAILURE_RETRIES = 3;

const client = traced(new EventBridgeClient(awsClientConfig('EVENTBRIDGE_ENDPOINT')));

/** The EventBridge entry of an outbox event; `detail.eventId` is the stable id consumers de-duplicate on. */
export function toEntry(event: OutboxEvent): PutEventsRequestEntry {
  return {
    EventBusName: requiredEnv('EVENT_BUS_NAME'),
    Source: event.source,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.detail.occurredAt),
  };
}

/**
 * Publishes `events`; resolves with the ones that could not be published
 * after retries (empty when all went out). Throws only when EventBridge
 * cannot be reached at all.
 */
export async function publishEvents(events: readonly OutboxEvent[]): Promise<OutboxEvent[]> {
  const failed: OutboxEvent[] = [];
  for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
    let pending = events.slice(start, start + PUT_EVENTS_BATCH);
    for (let attempt = 0; pending.length > 0 && attempt <= PARTIAL_FAILURE_RETRIES; attempt++) {
      if (attempt > 0) await sleep(50 * 2 ** attempt);
      const result = await client.send(new PutEventsCommand({ Entries: pending.map(toEntry) }));
      // Results come back in request order; an entry with an ErrorCode was not accepted.
      pending = (result.FailedEntryCount ?? 0) === 0 ? [] : pending.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
    }
    failed.push(...pending);
  }
  return failed;
}
