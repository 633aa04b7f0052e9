/**
 * Service requests in the single table. The request holds its tasks; each
 * task also has a queue entry in the request's partition that GSI3 indexes
 * by group while the task is open, so a group's queue is one Query and the
 * entries change in the same transaction as the request (record, audit,
 * outbox, entries: all or nothing). Lists are Queries on GSI1 (all), GSI2
 * (status) and GSI5 (requester), newest first.
 * @module
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import type { IdempotencyClaim, IdempotentReplay, RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { AuditEntry } from '#shared/data/incidents/incident-repository.js';
import { AUDIT_PREFIX, numberLookupKey } from '#shared/data/keys.js';
import { queryPage, queryPrefixPage } from '#shared/data/query-page.js';
import { type CommitExtras, recordStore } from '#shared/data/record-store.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import { pick } from '#shared/domain/pick.js';
import type { StoredWait } from '#shared/domain/requests/request-workflow.js';
import type { RequestMutation, RequestTask, ServiceRequest } from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { type RequestQueue, requestKey, requestQueueKey, requestTaskKey, requestWorkflowKey, taskQueueKey } from './keys.js';

export const REQUEST_SUMMARY_FIELDS = [
  'id',
  'number',
  'title',
  'category',
  'itemCode',
  'itemVersion',
  'status',
  'requesterId',
  'responseDueAt',
  'fulfilmentDueAt',
  'createdAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof ServiceRequest)[];
export type RequestSummary = Pick<ServiceRequest, (typeof REQUEST_SUMMARY_FIELDS)[number]>;

/** A task as its group's queue shows it. */
export interface TaskSummary {
  readonly number: string;
  readonly name: string;
  readonly group: string;
  readonly assigneeId: string | null;
  readonly status: RequestTask['status'];
  readonly stage: number;
  readonly dueAt: string;
  readonly deliveryMode: RequestTask['deliveryMode'];
  readonly requestId: string;
  readonly requestNumber: string;
  readonly requestTitle: string;
}

function summarise(request: ServiceRequest): RequestSummary {
  return pick(request, REQUEST_SUMMARY_FIELDS);
}

const OPEN: readonly RequestTask['status'][] = ['open', 'in_progress'];

function toItem(request: ServiceRequest) {
  const t = request.tenantId;
  return {
    ...requestKey(t, request.id),
    entity: 'ServiceRequest',
    // Newest first is a reverse Query on the creation time.
    QSK: `${request.createdAt}#${request.id}`,
    GSI1PK: requestQueueKey(t, 'all').partitionKey,
    GSI2PK: requestQueueKey(t, 'status', request.status).partitionKey,
    GSI5PK: requestQueueKey(t, 'requester', request.requesterId).partitionKey,
    GSI7PK: numberLookupKey(t, request.number).partitionKey,
    [SUMMARY_ATTRIBUTE]: summarise(request),
    ...request,
  };
}

function fromItem(item: Record<string, unknown>): ServiceRequest {
  return withoutStorageAttributes<ServiceRequest>(item);
}

/** The queue entry of `task` as an upsert: in its group's queue while open, out of every queue once done. */
function taskEntry(request: ServiceRequest, task: RequestTask): RelatedUpdate {
  const summary: TaskSummary = {
    number: task.number,
    name: task.name,
    group: task.group,
    assigneeId: task.assigneeId,
    status: task.status,
    stage: task.stage,
    dueAt: task.dueAt,
    deliveryMode: task.deliveryMode,
    requestId: request.id,
    requestNumber: request.number,
    requestTitle: request.title,
  };
  const open = OPEN.includes(task.status);
  return {
    key: requestTaskKey(request.tenantId, request.id, task.number),
    update: {
      UpdateExpression: open
        ? 'SET entity = :entity, #summary = :summary, GSI3PK = :queue, QSK = :qsk'
        : 'SET entity = :entity, #summary = :summary REMOVE GSI3PK, QSK',
      ExpressionAttributeNames: { '#summary': SUMMARY_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':entity': 'RequestTask',
        ':summary': summary,
        ...(open ? { ':queue': taskQueueKey(request.tenantId, task.group).partitionKey, ':qsk': `${task.dueAt}#${task.number}` } : {}),
      },
    },
  };
}

const requests = recordStore<ServiceRequest, RequestMutation>({
  recordType: 'ServiceRequest',
  idMember: 'requestId',
  key: requestKey,
  toItem,
  fromItem,
  recordOf: (mutation) => mutation.request,
});

/** What a request's commit carries besides its event: the facts it also establishes (their events) and its tasks' queue entries. */
function extras(mutation: RequestMutation, actor: Actor): CommitExtras {
  const { request } = mutation;
  const following = mutation.following.map((next) => recordEvent(next.eventType, request, actor, { requestId: request.id, changes: [], facts: next.facts }));
  const updates = mutation.touchedTasks.flatMap((number) => {
    const task = request.tasks.find((candidate) => candidate.number === number);
    return task ? [taskEntry(request, task)] : [];
  });
  return { ...(following.length > 0 ? { followingEvents: following } : {}), ...(updates.length > 0 ? { relatedUpdates: updates } : {}) };
}

/** The request, its audit entry, its event and its first tasks' queue entries: one transaction. */
export function insertRequest(mutation: RequestMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return requests.insert(mutation, actor, { ...extras(mutation, actor), idempotency });
}

/** Writes a changed request if nobody changed it since `expectedVersion` (412 with If-Match, 409 otherwise). */
export async function saveRequest(mutation: RequestMutation, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  await requests.save(mutation, actor, expectedVersion, ifMatch, extras(mutation, actor));
}

export const getRequest = requests.get;

/** By number (REQ0001001): the keys-only number index, then the record. */
export const getRequestByNumber = requests.getByNumber;

/** A page of requests, newest first: one Query. */
export async function listRequests(
  tenantId: string,
  request: { queue: RequestQueue; value?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<RequestSummary>> {
  const { indexName, partitionKey } = requestQueueKey(tenantId, request.queue, request.value);
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: `${indexName}PK = :pk`,
      ExpressionAttributeValues: { ':pk': partitionKey },
      ScanIndexForward: false,
      Limit: request.limit,
      partition: { attribute: `${indexName}PK`, value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as RequestSummary), nextCursor: page.nextCursor };
}

/** A group's open tasks, earliest due first: one Query on GSI3, no Scan. */
export async function listTaskQueue(tenantId: string, group: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<TaskSummary>> {
  const { indexName, partitionKey } = taskQueueKey(tenantId, group);
  const result = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: 'GSI3PK = :pk',
      ExpressionAttributeValues: { ':pk': partitionKey },
      Limit: page.limit,
      partition: { attribute: 'GSI3PK', value: partitionKey },
    },
    page.cursor,
  );
  return { items: result.items.map((item) => item[SUMMARY_ATTRIBUTE] as TaskSummary), nextCursor: result.nextCursor };
}

/** The request's history, oldest first. */
export async function listRequestHistory(tenantId: string, requestId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  const page = await queryPrefixPage(requestKey(tenantId, requestId).PK, AUDIT_PREFIX, { limit, cursor });
  return { items: page.items.map((item) => withoutStorageAttributes<AuditEntry>(item)), nextCursor: page.nextCursor };
}

/**
 * Keeps the task token of the step the request's workflow now waits on.
 * Workflow bookkeeping, not a change of the request: no version, audit or
 * event (a person's If-Match never fails because the workflow moved on);
 * each step overwrites the one before.
 */
export async function putWorkflowWait(tenantId: string, requestId: string, stored: StoredWait): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...requestWorkflowKey(tenantId, requestId), entity: 'RequestWorkflowWait', ...stored } }));
}

/** The step the request's workflow waits on, if it waits. */
export async function getWorkflowWait(tenantId: string, requestId: string): Promise<StoredWait | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: requestWorkflowKey(tenantId, requestId), ConsistentRead: true }));
  if (!result.Item) return null;
  const { token, wait, since } = result.Item as StoredWait;
  return { token, wait, since };
}
