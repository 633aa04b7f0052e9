import type { IdempotencyClaim, IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { numberLookupKey } from '#shared/data/keys.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { CatalogueItem, ItemMutation } from '#shared/domain/requests/catalogue-item.js';
import type { Actor } from '#shared/domain/roles.js';
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

const items = recordStore<CatalogueItem, ItemMutation>({
  recordType: 'CatalogueItem',
  idMember: 'itemId',
  key: catalogueItemKey,
  toItem,
  fromItem,
  recordOf: (mutation) => mutation.item,
});

export function insertCatalogueItem(mutation: ItemMutation, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return items.insert(mutation, actor, { idempotency });
}

/** Writes a changed item if it is still at `expectedVersion`; a publish also keeps its frozen version beside it. */
export async function saveCatalogueItem(mutation: ItemMutation, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  const { item, publishedVersion } = mutation;
  const frozen = publishedVersion
    ? [{ ...catalogueItemVersionKey(item.tenantId, item.id, publishedVersion.version), entity: 'CatalogueItemVersion', ...publishedVersion }]
    : [];
  await items.save(mutation, actor, expectedVersion, ifMatch, { extraItems: frozen });
}

export const getCatalogueItem = items.get;

/** By code (`SRV-0001001`): the keys-only number index, then the item. */
export const getCatalogueItemByCode = items.getByNumber;

/** A page of the tenant's catalogue, by category then name: one Query. */
export function listCatalogueItems(tenantId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<CatalogueItemSummary>> {
  return querySummaryPage<CatalogueItemSummary>({ indexName: 'GSI1', partitionKey: catalogueItemsPartition(tenantId) }, page);
}
