/**
 * Configuration items in the single table. A CI's partition holds the CI,
 * its audit trail and both edges of its relationships (outbound: it depends
 * on; inbound: depends on it), so a CI with its relationships in either
 * direction is one Query. GSI1 lists every CI and every relationship of a
 * tenant (export, CMDB health), GSI2 CIs by class (the service catalogue),
 * GSI3 by owner group.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '#shared/data/batch-get.js';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { AuditEntry } from '#shared/data/incidents/incident-repository.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { auditTrailPage, queryEachPage, queryPage, queryPrefixPage, querySummaryPage } from '#shared/data/query-page.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import { quotaClaim, quotaRelease } from '#shared/data/tenant-limits.js';
import { type Ci, type CiChange, filledAttributes, serviceCodeOf } from '#shared/domain/cmdb/ci.js';
import { type CanonicalRelationship, type CanonicalRelationshipType, type RelationshipView, viewFrom } from '#shared/domain/cmdb/ci-relationship.js';
import type { FetchNeighbours, ImpactDirection, Neighbour } from '#shared/domain/cmdb/impact.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent, eventEnvelope, recordEvent } from '#shared/events/outbox-event.js';
import { ciIndexKeys, ciKey, ciQueueKey, cmdbListKey, RELATIONSHIP_PREFIX, relationshipEdgeKeys, serviceCodeKey } from './keys.js';

/** The CI fields its index entries carry: enough for lists, the catalogue, impact answers and CMDB health. */
export interface CiSummary {
  readonly id: string;
  readonly class: Ci['class'];
  readonly name: string;
  readonly status: Ci['status'];
  readonly ownerGroup: string | null;
  readonly environment: Ci['environment'];
  readonly criticality: Ci['criticality'];
  readonly serviceCode: string | null;
  readonly externalId: string | null;
  readonly updatedAt: string;
  readonly version: number;
  /** Expected fields and attributes that have a value (CMDB health derives the missing ones). */
  readonly filled: readonly string[];
}

export function summariseCi(ci: Ci): CiSummary {
  return {
    id: ci.id,
    class: ci.class,
    name: ci.name,
    status: ci.status,
    ownerGroup: ci.ownerGroup,
    environment: ci.environment,
    criticality: ci.criticality,
    serviceCode: serviceCodeOf(ci),
    externalId: ci.externalId,
    updatedAt: ci.updatedAt,
    version: ci.version,
    filled: filledAttributes(ci),
  };
}

/** The stored form: the record, its index keys and the summary the indexes project. */
export function ciItem(ci: Ci): Record<string, unknown> & PrimaryKey {
  return { ...ciKey(ci.tenantId, ci.id), entity: 'Ci', ...ciIndexKeys(ci), [SUMMARY_ATTRIBUTE]: summariseCi(ci), ...ci };
}

function fromItem(item: Record<string, unknown>): Ci {
  return withoutStorageAttributes<Ci>(item);
}

/** The item that reserves a business service's code for it. */
export function serviceCodeClaim(ci: Ci): (Record<string, unknown> & PrimaryKey) | null {
  const code = serviceCodeOf(ci);
  return code === null ? null : { ...serviceCodeKey(ci.tenantId, code), entity: 'ServiceCodeClaim', ciId: ci.id };
}

function ciEvent(change: CiChange, actor: Actor, facts: Record<string, unknown> = {}) {
  const { ci } = change;
  return recordEvent(change.eventType, ci, actor, { ciId: ci.id, changes: change.changes, facts });
}

/** Writes a new CI (and its service code claim: a code in use answers 409), counted against the tenant's CI quota (422 past it). */
export async function insertCi(change: CiChange, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  const claim = serviceCodeClaim(change.ci);
  const quota = await quotaClaim(change.ci.tenantId, 'cis');
  return commitMutation({
    actor,
    recordType: 'Ci',
    recordId: change.ci.id,
    write: { kind: 'create', item: ciItem(change.ci) },
    audit: { action: change.action, version: change.ci.version, changes: change.changes, facts: {} },
    event: ciEvent(change, actor),
    extraItems: claim ? [claim] : [],
    quota,
    idempotency,
  });
}

/** Writes a changed CI if `previous` is still the stored version; a changed service code moves its claim; a retirement gives its quota unit back. */
export async function saveCi(change: CiChange, previous: Ci, actor: Actor, ifMatch: boolean): Promise<void> {
  const before = serviceCodeOf(previous);
  const after = serviceCodeClaim(change.ci);
  const moved = before !== serviceCodeOf(change.ci);
  await commitMutation({
    actor,
    recordType: 'Ci',
    recordId: change.ci.id,
    write: { kind: 'replace', item: ciItem(change.ci), expectedVersion: previous.version, ifMatch },
    audit: { action: change.action, version: change.ci.version, changes: change.changes, facts: {} },
    event: ciEvent(change, actor),
    extraItems: moved && after ? [after] : [],
    relatedDeletes: moved && before !== null ? [serviceCodeKey(previous.tenantId, before)] : [],
    quota: previous.status !== 'retired' && change.ci.status === 'retired' ? quotaRelease(previous.tenantId, 'cis') : undefined,
  });
}

/** One CI, strongly consistent (the caller may be about to write it). */
export async function getCi(tenantId: string, ciId: string): Promise<Ci | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: ciKey(tenantId, ciId), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : null;
}

/** The CI that holds a service code, if any. */
export async function getCiByServiceCode(tenantId: string, code: string): Promise<Ci | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: serviceCodeKey(tenantId, code), ConsistentRead: true }));
  const ciId = result.Item?.ciId as string | undefined;
  return ciId ? getCi(tenantId, ciId) : null;
}

/** Whole CIs by id (missing ones are absent from the map). */
export async function getCis(tenantId: string, ids: readonly string[]): Promise<Map<string, Ci>> {
  const items = await batchGetItems([...new Set(ids)].map((id) => ciKey(tenantId, id)));
  return new Map(items.map((item) => [item.id as string, fromItem(item)]));
}

/** CI summaries by id: one BatchGetItem per 100 ids, projecting only the summary. */
export async function getCiSummaries(tenantId: string, ids: readonly string[]): Promise<Map<string, CiSummary>> {
  const items = await batchGetItems(
    [...new Set(ids)].map((id) => ciKey(tenantId, id)),
    { expression: '#s', names: { '#s': SUMMARY_ATTRIBUTE } },
  );
  return new Map(items.map((item) => [(item[SUMMARY_ATTRIBUTE] as CiSummary).id, item[SUMMARY_ATTRIBUTE] as CiSummary]));
}

export interface CiListRequest {
  readonly class?: Ci['class'] | undefined;
  readonly ownerGroup?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** A page of CI summaries, by class then name: one Query on GSI1 (all), GSI2 (a class) or GSI3 (an owner group). */
export async function listCis(tenantId: string, request: CiListRequest): Promise<Page<CiSummary>> {
  const { indexName, partitionKey } = request.class
    ? ciQueueKey(tenantId, 'class', request.class)
    : request.ownerGroup
      ? ciQueueKey(tenantId, 'ownerGroup', request.ownerGroup)
      : cmdbListKey(tenantId, 'cis');
  const attribute = `${indexName}PK`;
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: `${attribute} = :pk`,
      ExpressionAttributeValues: { ':pk': partitionKey },
      Limit: request.limit,
      partition: { attribute, value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as CiSummary), nextCursor: page.nextCursor };
}

/** A CI's audit trail, oldest first (relationship changes included: both CIs keep them). */
export async function listCiHistory(tenantId: string, ciId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  return auditTrailPage<AuditEntry>(ciKey(tenantId, ciId).PK, { limit, cursor });
}

// ── Relationships ─────────────────────────────────────────────────────────

/** Both edge items of a relationship; the outbound one is also listed in GSI1 (each relationship once). */
export function relationshipItems(
  tenantId: string,
  relationship: CanonicalRelationship,
  meta: { createdAt: string; createdBy: string; importId?: string },
): { outbound: Record<string, unknown> & PrimaryKey; inbound: Record<string, unknown> & PrimaryKey } {
  const keys = relationshipEdgeKeys(tenantId, relationship);
  const body = { entity: 'CiRelationship', ...relationship, ...meta, version: 1 };
  const summary = { type: relationship.type, dependentId: relationship.dependentId, dependencyId: relationship.dependencyId };
  return {
    outbound: {
      ...keys.outbound,
      ...body,
      GSI1PK: cmdbListKey(tenantId, 'relationships').partitionKey,
      [QUEUE_SORT_KEY]: `${relationship.dependentId}#${relationship.type}#${relationship.dependencyId}`,
      [SUMMARY_ATTRIBUTE]: summary,
    },
    inbound: { ...keys.inbound, ...body },
  };
}

function relationshipEvent(actor: Actor, relationship: CanonicalRelationship, change: 'added' | 'removed', now: string) {
  return buildEvent('CiRelationshipChanged', {
    ...eventEnvelope(actor.tenantId, now, actor),
    change,
    ...relationship,
    version: 1,
  });
}

function relationshipAudit(relationship: CanonicalRelationship, change: 'added' | 'removed') {
  const value = `${relationship.dependentId} ${relationship.type} ${relationship.dependencyId}`;
  return {
    action: change === 'added' ? 'relate' : 'unrelate',
    version: 1,
    changes: [{ field: `relationships.${relationship.type}`, from: change === 'added' ? null : value, to: change === 'added' ? value : null }],
    facts: { ...relationship },
  };
}

const relationshipId = (r: CanonicalRelationship) => `${r.dependentId}:${r.type}:${r.dependencyId}`;

/** Adds both edges in one transaction, audited in both CIs' partitions; an existing relationship answers 409. */
export async function insertRelationship(actor: Actor, relationship: CanonicalRelationship, now: string): Promise<void> {
  const { outbound, inbound } = relationshipItems(actor.tenantId, relationship, { createdAt: now, createdBy: actor.userId });
  await commitMutation({
    actor,
    recordType: 'CiRelationship',
    recordId: relationshipId(relationship),
    write: { kind: 'create', item: outbound },
    extraItems: [inbound],
    audit: relationshipAudit(relationship, 'added'),
    event: relationshipEvent(actor, relationship, 'added', now),
    auditAlsoIn: [inbound.PK],
  });
}

/** Removes both edges in one transaction; a relationship that does not exist answers 404. */
export async function deleteRelationship(actor: Actor, relationship: CanonicalRelationship, now: string): Promise<void> {
  const keys = relationshipEdgeKeys(actor.tenantId, relationship);
  await commitMutation({
    actor,
    recordType: 'CiRelationship',
    recordId: relationshipId(relationship),
    write: { kind: 'delete', key: keys.outbound, expectedVersion: 1, ifMatch: false },
    relatedDeletes: [keys.inbound],
    audit: relationshipAudit(relationship, 'removed'),
    event: relationshipEvent(actor, relationship, 'removed', now),
    auditAlsoIn: [keys.inbound.PK],
  });
}

/** Reads `<type>#<otherId>` back from an edge's sort key. */
function parseEdgeSortKey(sk: string): { direction: 'outbound' | 'inbound'; type: CanonicalRelationshipType; otherId: string } {
  const direction = sk.startsWith(RELATIONSHIP_PREFIX.outbound) ? 'outbound' : 'inbound';
  const [type, otherId] = sk.slice(RELATIONSHIP_PREFIX[direction].length).split('#') as [CanonicalRelationshipType, string];
  return { direction, type, otherId };
}

/** A page of a CI's relationships in both directions, each named from this CI's side: one Query. */
export async function listRelationships(tenantId: string, ciId: string, limit: number, cursor?: string): Promise<Page<RelationshipView>> {
  const page = await queryPrefixPage(ciKey(tenantId, ciId).PK, 'REL#', { limit, cursor, projection: 'SK' });
  const items = page.items.map((item) => {
    const edge = parseEdgeSortKey(item.SK as string);
    const relationship =
      edge.direction === 'outbound'
        ? { type: edge.type, dependentId: ciId, dependencyId: edge.otherId }
        : { type: edge.type, dependentId: edge.otherId, dependencyId: ciId };
    return viewFrom(ciId, relationship);
  });
  return { items, nextCursor: page.nextCursor };
}

/** Queries in flight at once while reading a level of the graph (one Lambda's sockets are shared). */
const NEIGHBOUR_QUERY_CONCURRENCY = 32;

/**
 * The graph reader of impact analysis: for each CI of a level, one Query on
 * its partition for the edges of one direction (keys only; all pages).
 * Upstream reads inbound edges (its dependents), downstream outbound ones.
 */
export function neighbourReader(tenantId: string, direction: ImpactDirection): FetchNeighbours {
  const prefix = direction === 'upstream' ? RELATIONSHIP_PREFIX.inbound : RELATIONSHIP_PREFIX.outbound;
  return async (ids) => {
    const result = new Map<string, Neighbour[]>();
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const edges: Neighbour[] = [];
        const pages = queryEachPage({
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': ciKey(tenantId, id).PK, ':prefix': prefix },
          ProjectionExpression: 'SK',
        });
        for await (const items of pages) {
          for (const item of items) {
            const edge = parseEdgeSortKey(item.SK as string);
            edges.push({ type: edge.type, otherId: edge.otherId });
          }
        }
        result.set(id, edges);
      }
    };
    await Promise.all(Array.from({ length: Math.min(NEIGHBOUR_QUERY_CONCURRENCY, ids.length) }, worker));
    return result;
  };
}

/** Every item of one GSI1 list (all CIs, or all relationships) of a tenant, page by page: Queries, never a Scan. */
export async function* readWholeList(tenantId: string, what: 'cis' | 'relationships'): AsyncGenerator<Record<string, unknown>[]> {
  const { indexName, partitionKey } = cmdbListKey(tenantId, what);
  const pages = queryEachPage({ IndexName: indexName, KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': partitionKey } });
  for await (const items of pages) yield items.map((item) => item[SUMMARY_ATTRIBUTE] as Record<string, unknown>);
}

/** A page of the tenant's relationships (each once, dependent → dependency), for export: one Query on GSI1. */
export async function exportRelationships(tenantId: string, limit: number, cursor?: string): Promise<Page<CanonicalRelationship>> {
  return querySummaryPage<CanonicalRelationship>(cmdbListKey(tenantId, 'relationships'), { limit, cursor });
}
