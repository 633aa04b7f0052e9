/**
 * Catalogue items in the single table: the item (draft, visibility and the
 * published version in force) and its frozen versions share one partition;
 * the tenant's catalogue is one Query on GSI1 (summaries only).
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay, mutationAudit } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { numberLookupKey } from '#shared/data/keys.js';
import { idByNumber } from '#shared/data/number-lookup.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { CatalogueItem, ItemMutation } from '#shared/domain/requests/catalogue-item.js';
import type { Actor } from '#shared/domain/roles.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { catalogueItemKey, catalogueItemsPartition, catalogueItemVersionKey } from './keys.js';

/** What the catalogue list shows (and what a requester's visibility is decided on). */
export interface CatalogueItemSummary {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly status: CatalogueItem['status'];
  readonly visibility: CatalogueItem['visibility'];
  readonly publishedVersion: number | null;
  readonly cost: CatalogueItem['draft']['cost'];
  readonly updatedAt: string;
  readonly version: number;
}

function summarise(item: CatalogueItem): CatalogueItemSummary {
  // Requesters see what was published; staff editing a draft see it in the record itself.
  const shown = item.published?.definition ?? item.draft;
  return {
    id: item.id,
    code: item.code,
    name: shown.name,
    category: shown.category,
    description: shown.description.slice(0, 280),
    status: item.status,
    visibility: item.visibility,
    publishedVersion: item.published?.version ?? null,
    cost: shown.cost,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

function toItem(item: CatalogueItem) {
  const summary = summarise(item);
  return {
    ...catalogueItemKey(item.tenantId, item.id),
    entity: 'CatalogueItem',
    GSI1PK: catalogueItemsPartition(item.tenantId),
    QSK: `${summary.category.toLowerCase()}#${summary.name.toLowerCase()}#${item.id}`.slice(0, 512),
    GSI7PK: numberLookupKey(item.tenantId, item.code).partitionKey,
    [SUMMARY_ATTRIBUTE]: summary,
    ...item,
  };
}

function fromItem(item: Record<string, unknown>): CatalogueItem {
  return withoutStorageAttributes<CatalogueItem>(item);
}

function eventFor(mutation: ItemMutation, actor: Actor) {
  const { item } = mutation;
  return recordEvent(mutation.eventType, item, actor, { itemId: item.id, changes: mutation.changes, facts: mutation.facts });
}

export async function insertCatalogueItem(mutation: ItemMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'CatalogueItem',
    recordId: mutation.item.id,
    write: { kind: 'create', item: toItem(mutation.item) },
    audit: mutationAudit(mutation, mutation.item.version),
    event: eventFor(mutation, actor),
    idempotency,
  });
}

/** Writes a changed item if it is still at `expectedVersion`; a publish also keeps its frozen version beside it. */
export async function saveCatalogueItem(mutation: ItemMutation, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  const { item, publishedVersion } = mutation;
  await commitMutation({
    actor,
    recordType: 'CatalogueItem',
    recordId: item.id,
    write: { kind: 'replace', item: toItem(item), expectedVersion, ifMatch },
    audit: mutationAudit(mutation, mutation.item.version),
    event: eventFor(mutation, actor),
    ...(publishedVersion
      ? { extraItems: [{ ...catalogueItemVersionKey(item.tenantId, item.id, publishedVersion.version), entity: 'CatalogueItemVersion', ...publishedVersion }] }
      : {}),
  });
}

export async function getCatalogueItem(tenantId: string, itemId: string): Promise<CatalogueItem | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: catalogueItemKey(tenantId, itemId), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : null;
}

/** By code (`SRV-0001001`): the keys-only number index, then the item. */
export async function getCatalogueItemByCode(tenantId: string, code: string): Promise<CatalogueItem | null> {
  const id = await idByNumber(tenantId, code);
  return id ? getCatalogueItem(tenantId, id) : null;
}

/** A page of the tenant's catalogue, by category then name: one Query. */
export function listCatalogueItems(tenantId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<CatalogueItemSummary>> {
  return querySummaryPage<CatalogueItemSummary>({ indexName: 'GSI1', partitionKey: catalogueItemsPartition(tenantId) }, page);
}
