/**
 * Key builders of the changes practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

export function changeKey(tenantId: string, changeId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CHANGE#${segment(changeId)}`, SK: 'CHANGE' };
}

/** The dimensions a change list can be read by (GSI1 all, GSI2 status, GSI5 requester, as incidents). */
export const CHANGE_QUEUES = ['all', 'status', 'requester'] as const;
export type ChangeQueue = (typeof CHANGE_QUEUES)[number];

const CHANGE_QUEUE_INDEX: Record<ChangeQueue, { index: string; segment: string | null }> = {
  all: { index: 'GSI1', segment: null },
  status: { index: 'GSI2', segment: 'STATUS' },
  requester: { index: 'GSI5', segment: 'REQUESTER' },
};

export function changeQueueKey(tenantId: string, queue: ChangeQueue, value?: string): { indexName: string; partitionKey: string } {
  const { index, segment: name } = CHANGE_QUEUE_INDEX[queue];
  const base = `${tenantPrefix(tenantId)}CHANGES`;
  if (name === null) return { indexName: index, partitionKey: base };
  if (value === undefined) throw new Error(`Queue '${queue}' needs a value.`);
  return { indexName: index, partitionKey: `${base}#${name}#${segment(value)}` };
}

/** Change lists are in calendar order: planned start, then id (so a time range is a key condition). */
export function changeSortKey(plannedStart: string, id: string): string {
  return `${plannedStart}#${id}`;
}

/** A tenant's change settings (approval policies, calendar, risk questionnaire and templates), each versioned on its own. */
export function changeSettingKey(tenantId: string, name: 'CHANGE_APPROVAL' | 'CHANGE_CALENDAR' | 'CHANGE_MODEL'): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: name };
}

export function releaseKey(tenantId: string, releaseId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}RELEASE#${segment(releaseId)}`, SK: 'RELEASE' };
}

/** All releases of a tenant, by planned start (GSI1). */
export function releasesPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}RELEASES`;
}

/**
 * A CI's change-scheduling lock: a revision counter every submission that
 * names the CI bumps in its transaction, conditional on the revision it
 * read before checking conflicts, so two submissions of one CI serialise.
 */
export function ciChangeLockKey(tenantId: string, ciId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI#${segment(ciId)}#CHANGE_LOCK`, SK: 'LOCK' };
}
