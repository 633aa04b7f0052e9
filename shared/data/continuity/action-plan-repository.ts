/**
 * Improvement items (`IMP…`) and problem records (`PRB…`): each its own
 * record with its own partition, number (a per-tenant sequence, found
 * again through the number index GSI7) and list (GSI1, oldest first).
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { numberLookupKey, type PrimaryKey } from '#shared/data/keys.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { ImprovementItem, ProblemRecord } from '#shared/domain/continuity/action-plan.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { actionRecordListKey, improvementItemKey, problemKey } from './keys.js';

export type ActionRecordKind = 'improvement' | 'problem';

const PREFIX: Record<ActionRecordKind, string> = { improvement: 'IMP', problem: 'PRB' };

/** Takes the next number of `kind` (`IMP0001001`, `PRB0001001`; never reused; a failed create leaves a gap). */
export function allocateRecordNumber(tenantId: string, kind: ActionRecordKind): Promise<string> {
  return allocateNumber(tenantId, PREFIX[kind]);
}

const SUMMARY_FIELDS = ['id', 'number', 'title', 'status', 'serviceId', 'createdAt', 'version'] as const;

function item(kind: ActionRecordKind, record: ImprovementItem | ProblemRecord): Record<string, unknown> & PrimaryKey {
  const key = kind === 'improvement' ? improvementItemKey(record.tenantId, record.id) : problemKey(record.tenantId, record.id);
  return {
    ...key,
    entity: kind === 'improvement' ? 'ImprovementItem' : 'Problem',
    GSI1PK: actionRecordListKey(record.tenantId, kind).partitionKey,
    [QUEUE_SORT_KEY]: `${record.createdAt}#${record.id}`,
    GSI7PK: numberLookupKey(record.tenantId, record.number).partitionKey,
    [SUMMARY_ATTRIBUTE]: Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, record[field]])),
    ...record,
  };
}

/**
 * Opens an improvement item (`ImprovementItemOpened`) or a problem record
 * (`ProblemOpened`): the record, its audit entry and its event in one
 * transaction.
 */
export async function insertActionRecord(kind: ActionRecordKind, record: ImprovementItem | ProblemRecord, actor: Actor): Promise<void> {
  const improvement = kind === 'improvement' ? (record as ImprovementItem) : null;
  await commitMutation({
    actor,
    recordType: improvement ? 'ImprovementItem' : 'Problem',
    recordId: record.id,
    write: { kind: 'create', item: item(kind, record) },
    audit: { action: 'open', version: record.version, changes: [], facts: { source: record.source } },
    event: buildEvent(improvement ? 'ImprovementItemOpened' : 'ProblemOpened', {
      ...eventEnvelope(record.tenantId, record.createdAt, actor),
      recordId: record.id,
      number: record.number,
      version: record.version,
      title: record.title,
      serviceId: record.serviceId,
      sourceTestId: record.source.testId,
      owner: improvement?.owner ?? null,
      deadline: improvement?.deadline ?? null,
    }),
  });
}

export async function getActionRecord<T extends ImprovementItem | ProblemRecord>(tenantId: string, kind: ActionRecordKind, id: string): Promise<T | null> {
  const key = kind === 'improvement' ? improvementItemKey(tenantId, id) : problemKey(tenantId, id);
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<T>(result.Item) : null;
}

export type ActionRecordSummary = Pick<ImprovementItem, (typeof SUMMARY_FIELDS)[number]>;

/** A page of the tenant's improvement items or problems, oldest first (problems have no list route yet: the API stack's resource budget). */
export async function listActionRecords(tenantId: string, kind: ActionRecordKind, limit: number, cursor?: string): Promise<Page<ActionRecordSummary>> {
  return querySummaryPage<ActionRecordSummary>(actionRecordListKey(tenantId, kind), { limit, cursor });
}
