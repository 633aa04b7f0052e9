/**
 * Improvement items (`IMP…`): each its own record with its own partition,
 * number (a per-tenant sequence, found again through the number index
 * GSI7) and list (GSI1, oldest first). The problem records a failed test
 * opens are the problems practice's (`../problems/problem-repository.ts`).
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
import type { ImprovementItem } from '#shared/domain/continuity/action-plan.js';
import { pick } from '#shared/domain/pick.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { improvementItemKey, improvementItemListKey } from './keys.js';

export type ActionRecordKind = 'improvement';

const PREFIX: Record<ActionRecordKind, string> = { improvement: 'IMP' };

/** Takes the next number of `kind` (`IMP0001001`; never reused; a failed create leaves a gap). */
export function allocateRecordNumber(tenantId: string, kind: ActionRecordKind): Promise<string> {
  return allocateNumber(tenantId, PREFIX[kind]);
}

const SUMMARY_FIELDS = ['id', 'number', 'title', 'status', 'serviceId', 'createdAt', 'version'] as const;

function item(record: ImprovementItem): Record<string, unknown> & PrimaryKey {
  return {
    ...improvementItemKey(record.tenantId, record.id),
    entity: 'ImprovementItem',
    GSI1PK: improvementItemListKey(record.tenantId).partitionKey,
    [QUEUE_SORT_KEY]: `${record.createdAt}#${record.id}`,
    GSI7PK: numberLookupKey(record.tenantId, record.number).partitionKey,
    [SUMMARY_ATTRIBUTE]: pick(record, SUMMARY_FIELDS),
    ...record,
  };
}

/** Opens an improvement item (`ImprovementItemOpened`): the record, its audit entry and its event in one transaction. */
export async function insertActionRecord(_kind: ActionRecordKind, record: ImprovementItem, actor: Actor): Promise<void> {
  await commitMutation({
    actor,
    recordType: 'ImprovementItem',
    recordId: record.id,
    write: { kind: 'create', item: item(record) },
    audit: { action: 'open', version: record.version, changes: [], facts: { source: record.source } },
    event: buildEvent('ImprovementItemOpened', {
      ...eventEnvelope(record.tenantId, record.createdAt, actor),
      recordId: record.id,
      number: record.number,
      version: record.version,
      title: record.title,
      serviceId: record.serviceId,
      sourceTestId: record.source.testId,
      owner: record.owner,
      deadline: record.deadline,
    }),
  });
}

export async function getActionRecord<T extends ImprovementItem>(tenantId: string, _kind: ActionRecordKind, id: string): Promise<T | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: improvementItemKey(tenantId, id), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<T>(result.Item) : null;
}

export type ActionRecordSummary = Pick<ImprovementItem, (typeof SUMMARY_FIELDS)[number]>;

/** A page of the tenant's improvement items, oldest first. */
export async function listActionRecords(tenantId: string, _kind: ActionRecordKind, limit: number, cursor?: string): Promise<Page<ActionRecordSummary>> {
  return querySummaryPage<ActionRecordSummary>(improvementItemListKey(tenantId), { limit, cursor });
}
