import type { IdempotencyClaim, IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { numberLookupKey } from '#shared/data/keys.js';
import { queryPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE } from '#shared/data/table-definition.js';
import type { Release, ReleaseMutation } from '#shared/domain/changes/release.js';
import type { Actor } from '#shared/domain/roles.js';
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

const releases = recordStore<Release, ReleaseMutation>({
  recordType: 'Release',
  idMember: 'releaseId',
  key: releaseKey,
  toItem,
  fromItem: (item) => item[SUMMARY_ATTRIBUTE] as Release,
  recordOf: (mutation) => mutation.release,
});

export function insertRelease(mutation: ReleaseMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return releases.insert(mutation, actor, { idempotency });
}

export async function saveRelease(mutation: ReleaseMutation, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  await releases.save(mutation, actor, expectedVersion, ifMatch);
}

export const getRelease = releases.get;
export const getReleaseByNumber = releases.getByNumber;

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
