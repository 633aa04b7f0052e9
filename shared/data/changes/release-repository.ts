/**
 * Releases in the single table. A release is small, so the whole record is
 * its list summary (the queue index projects it); it is stored once, in the
 * summary map. Listed by planned start on GSI1, found by number on GSI7.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay, mutationAudit } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { numberLookupKey } from '#shared/data/keys.js';
import { idByNumber } from '#shared/data/number-lookup.js';
import { queryPage } from '#shared/data/query-page.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE } from '#shared/data/table-definition.js';
import type { Release, ReleaseMutation } from '#shared/domain/changes/release.js';
import type { Actor } from '#shared/domain/roles.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { changeSortKey, releaseKey, releasesPartition } from './keys.js';

function toItem(release: Release) {
  return {
    ...releaseKey(release.tenantId, release.id),
    entity: 'Release',
    GSI1PK: releasesPartition(release.tenantId),
    QSK: changeSortKey(release.plannedStart, release.id),
    GSI7PK: numberLookupKey(release.tenantId, release.number).partitionKey,
    [SUMMARY_ATTRIBUTE]: release,
    version: release.version,
  };
}

function eventFor(mutation: ReleaseMutation, actor: Actor) {
  const { release } = mutation;
  return recordEvent(mutation.eventType, release, actor, { releaseId: release.id, changes: mutation.changes, facts: mutation.facts });
}

function common(mutation: ReleaseMutation, actor: Actor) {
  return {
    actor,
    recordType: 'Release',
    recordId: mutation.release.id,
    audit: mutationAudit(mutation, mutation.release.version),
    event: eventFor(mutation, actor),
  };
}

export function insertRelease(mutation: ReleaseMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({ ...common(mutation, actor), write: { kind: 'create', item: toItem(mutation.release) }, idempotency });
}

export async function saveRelease(mutation: ReleaseMutation, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  await commitMutation({ ...common(mutation, actor), write: { kind: 'replace', item: toItem(mutation.release), expectedVersion, ifMatch } });
}

export async function getRelease(tenantId: string, releaseId: string): Promise<Release | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: releaseKey(tenantId, releaseId), ConsistentRead: true }));
  return result.Item ? (result.Item[SUMMARY_ATTRIBUTE] as Release) : null;
}

export async function getReleaseByNumber(tenantId: string, number: string): Promise<Release | null> {
  const id = await idByNumber(tenantId, number);
  return id ? getRelease(tenantId, id) : null;
}

/** Releases by planned start, optionally within `[from, to)`: one Query on GSI1. */
export async function listReleases(
  tenantId: string,
  request: { limit: number; cursor?: string | undefined; from?: string; to?: string },
): Promise<Page<Release>> {
  const partitionKey = releasesPartition(tenantId);
  const ranged = request.from !== undefined && request.to !== undefined;
  const page = await queryPage(
    {
      IndexName: 'GSI1',
      KeyConditionExpression: ranged ? `GSI1PK = :pk AND ${QUEUE_SORT_KEY} BETWEEN :from AND :to` : 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partitionKey, ...(ranged ? { ':from': request.from, ':to': request.to } : {}) },
      Limit: request.limit,
      partition: { attribute: 'GSI1PK', value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as Release), nextCursor: page.nextCursor };
}

/** Every release planned to start in `[from, to)`. */
export async function listReleasesPlannedBetween(tenantId: string, from: string, to: string): Promise<Release[]> {
  const items: Release[] = [];
  let cursor: string | undefined;
  do {
    const page = await listReleases(tenantId, { limit: 100, cursor, from, to });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
