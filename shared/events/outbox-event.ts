/**
 * Building events for the outbox. A mutation writes its event as an item in
 * the same transaction as the change; the stream publisher forwards it to
 * EventBridge, so an event exists if and only if the change committed.
 * @module
 */
import { ulid } from 'ulid';
import type * as z from 'zod';
import type { Actor } from '#shared/domain/roles.js';
import { EVENT_CATALOGUE, type EventType } from './catalogue.js';

/** One event as stored in the outbox and later sent to EventBridge. */
export interface OutboxEvent<T extends EventType = EventType> {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: T;
  readonly detail: z.infer<(typeof EVENT_CATALOGUE)[T]['schema']>;
}

/**
 * Builds an event whose detail is checked against the catalogue schema, so
 * a malformed event fails the request before anything is written.
 */
export function buildEvent<T extends EventType>(
  detailType: T,
  detail: Omit<z.infer<(typeof EVENT_CATALOGUE)[T]['schema']>, 'eventId'>,
  eventId: string = ulid(),
): OutboxEvent<T> {
  const entry = EVENT_CATALOGUE[detailType];
  const parsed = entry.schema.parse({ ...detail, eventId }) as OutboxEvent<T>['detail'];
  return { eventId, source: entry.source, detailType, detail: parsed };
}

/**
 * The envelope members every event detail starts with: the record's tenant,
 * when it happened, and who did it (user and roles only: never claims).
 */
export function eventEnvelope(tenantId: string, occurredAt: string, actor: Pick<Actor, 'userId' | 'roles'>) {
  return { tenantId, occurredAt, actor: { userId: actor.userId, roles: [...actor.roles] } };
}

/** Envelope members: never copied from a record. */
const ENVELOPE_MEMBERS = new Set(['eventId', 'tenantId', 'occurredAt', 'actor']);

/**
 * The event of a mutation of `record`: the envelope (the record's tenant,
 * its `updatedAt`, the actor), then every member the catalogue schema of
 * `detailType` names that the record has, then `detail` (the record id
 * under the event's name for it, changes, facts), which wins. The catalogue
 * alone decides what an event carries; the schema still checks the result.
 */
export function recordEvent<T extends EventType>(
  detailType: T,
  record: { readonly tenantId: string; readonly updatedAt: string },
  actor: Pick<Actor, 'userId' | 'roles'>,
  detail: Readonly<Record<string, unknown>>,
): OutboxEvent<T> {
  const members = Object.keys((EVENT_CATALOGUE[detailType].schema as z.ZodObject).shape);
  const fromRecord = Object.fromEntries(
    members.filter((member) => !ENVELOPE_MEMBERS.has(member) && Object.hasOwn(record, member)).map((member) => [member, record[member as keyof typeof record]]),
  );
  return buildEvent(detailType, { ...eventEnvelope(record.tenantId, record.updatedAt, actor), ...fromRecord, ...detail } as never);
}
