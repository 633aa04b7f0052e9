/**
 * Key builders of the service-request practice: the only place that knows
 * how its keys are spelt. Every key starts with the tenant prefix.
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

export function catalogueItemKey(tenantId: string, itemId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CATITEM#${segment(itemId)}`, SK: 'CATITEM' };
}

/** A published version, frozen, in its item's partition (zero-padded: versions sort in order). */
export function catalogueItemVersionKey(tenantId: string, itemId: string, version: number): PrimaryKey {
  return { PK: catalogueItemKey(tenantId, itemId).PK, SK: `VERSION#${String(version).padStart(6, '0')}` };
}

/** All catalogue items of a tenant (GSI1), by category then name. */
export function catalogueItemsPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}CATITEMS`;
}

export function requestKey(tenantId: string, requestId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}REQUEST#${segment(requestId)}`, SK: 'REQUEST' };
}

/** The step the request's workflow waits on and its task token, beside the request (the token never reaches the API). */
export function requestWorkflowKey(tenantId: string, requestId: string): PrimaryKey {
  return { PK: requestKey(tenantId, requestId).PK, SK: 'WORKFLOW' };
}

/** A task's queue entry, in its request's partition: the request holds the task, this projects it into its group's queue. */
export function requestTaskKey(tenantId: string, requestId: string, taskNumber: string): PrimaryKey {
  return { PK: requestKey(tenantId, requestId).PK, SK: `TASK#${segment(taskNumber)}` };
}

/** The dimensions a request list is read by (GSI1 all, GSI2 status, GSI5 requester, as changes). */
export const REQUEST_QUEUES = ['all', 'status', 'requester'] as const;
export type RequestQueue = (typeof REQUEST_QUEUES)[number];

const REQUEST_QUEUE_INDEX: Record<RequestQueue, { index: string; segment: string | null }> = {
  all: { index: 'GSI1', segment: null },
  status: { index: 'GSI2', segment: 'STATUS' },
  requester: { index: 'GSI5', segment: 'REQUESTER' },
};

export function requestQueueKey(tenantId: string, queue: RequestQueue, value?: string): { indexName: string; partitionKey: string } {
  const { index, segment: name } = REQUEST_QUEUE_INDEX[queue];
  const base = `${tenantPrefix(tenantId)}REQUESTS`;
  if (name === null) return { indexName: index, partitionKey: base };
  if (value === undefined) throw new Error(`Queue '${queue}' needs a value.`);
  return { indexName: index, partitionKey: `${base}#${name}#${segment(value)}` };
}

/** A group's open fulfilment tasks (GSI3, sparse: only open and in-progress tasks have the key), earliest due first. */
export function taskQueueKey(tenantId: string, group: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI3', partitionKey: `${tenantPrefix(tenantId)}REQTASKS#GROUP#${segment(group)}` };
}
