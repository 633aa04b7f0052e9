/**
 * Which stream records carry outbox events, and how to read one. The
 * filter is the Lambda event-source-mapping filter in AWS and is evaluated
 * by the local stream poller with the same pattern matcher as the bus.
 * @module
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventType } from './catalogue.js';
import type { OutboxEvent } from './outbox-event.js';

/** Only new outbox items: record updates, audit entries and TTL deletions never reach the publisher. */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entity: { S: ['OutboxEvent'] } } },
} as const;

/** The outbox event a stream record carries, or null when it carries none. */
export function outboxEventOf(record: DynamoDBRecord): OutboxEvent | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || image?.entity?.S !== 'OutboxEvent') return null;
  const item = unmarshall(image as Record<string, AttributeValue>) as { eventId: string; source: string; detailType: EventType; detail: OutboxEvent['detail'] };
  return { eventId: item.eventId, source: item.source, detailType: item.detailType, detail: item.detail };
}
