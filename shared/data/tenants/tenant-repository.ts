/**
 * The platform's tenant register: tenant records (audited, versioned, with
 * events in the platform's outbox) and the cached status the authorizer
 * reads on every request.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import type { Tenant, TenantStatus } from '#shared/domain/tenants/tenant.js';
import type { EventType } from '#shared/events/catalogue.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { TENANT_LIST, tenantKey } from './keys.js';

type TenantEventType = Extract<EventType, `Tenant${string}`> & `Tenant${'Created' | 'Suspended' | 'Resumed' | 'TierChanged' | `Deletion${string}` | 'Deleted'}`;

/** What a tenant list shows. */
export type TenantSummary = Pick<Tenant, 'id' | 'name' | 'tier' | 'status' | 'createdAt'>;

function item(tenant: Tenant) {
  const summary: TenantSummary = { id: tenant.id, name: tenant.name, tier: tenant.tier, status: tenant.status, createdAt: tenant.createdAt };
  return { ...tenantKey(tenant.id), entity: 'Tenant', GSI1PK: TENANT_LIST.partitionKey, QSK: tenant.id, summary, ...tenant };
}

function eventOf(type: TenantEventType, tenant: Tenant, actor: Actor, changes: FieldChange[], extra: Record<string, unknown> = {}) {
  // The event is about the tenant (its webhooks hear of it); the record is the platform's.
  return recordEvent(type, { ...tenant, tenantId: tenant.id }, actor, { changes, ...extra });
}

export async function insertTenant(tenant: Tenant, actor: Actor, changes: FieldChange[], idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'Tenant',
    recordId: tenant.id,
    write: { kind: 'create', item: item(tenant) },
    audit: { action: 'create', version: tenant.version, changes, facts: {} },
    event: eventOf('TenantCreated', tenant, actor, changes),
    idempotency,
  });
}

/** Writes a changed tenant if `expectedVersion` is still current. */
export async function saveTenant(
  tenant: Tenant,
  actor: Actor,
  change: { type: TenantEventType; action: string; changes: FieldChange[]; facts?: Record<string, unknown> },
  expectedVersion: number,
  ifMatch: boolean,
): Promise<void> {
  await commitMutation({
    actor,
    recordType: 'Tenant',
    recordId: tenant.id,
    write: { kind: 'replace', item: item(tenant), expectedVersion, ifMatch },
    audit: { action: change.action, version: tenant.version, changes: change.changes, facts: change.facts ?? {} },
    event: eventOf(change.type, tenant, actor, change.changes, change.facts ?? {}),
  });
  forgetTenantStatus(tenant.id);
}

export async function getTenant(tenantId: string): Promise<Tenant | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: tenantKey(tenantId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<Tenant>(result.Item) : null;
}

export function listTenants(limit: number, cursor?: string): Promise<Page<TenantSummary>> {
  return querySummaryPage<TenantSummary>(TENANT_LIST, { limit, cursor });
}

/**
 * How long a tenant's status is trusted from memory. A suspension reaches
 * every container within this (plus API Gateway's authorizer cache in AWS);
 * the container that wrote it forgets at once.
 */
export const TENANT_STATUS_TTL_MS = 30_000;
const statusCache = new Map<string, { status: TenantStatus; until: number }>();
const STATUS_CACHE_ENTRIES = 10_000;

/**
 * A tenant's status for the authorizer: one GetItem per tenant per
 * container per {@link TENANT_STATUS_TTL_MS}, not one per request. A tenant
 * with no record (the demo tenants, which predate the register) is active.
 * If the store cannot answer, the last known status stands, or active: the
 * tenant's own data calls fail (503) in that case anyway.
 */
export async function tenantStatusOf(tenantId: string, nowMs = Date.now()): Promise<TenantStatus> {
  const cached = statusCache.get(tenantId);
  if (cached && cached.until > nowMs) return cached.status;
  let status: TenantStatus;
  try {
    const result = await db.send(
      new GetCommand({ TableName: tableName(), Key: tenantKey(tenantId), ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } }),
    );
    status = (result.Item?.status as TenantStatus | undefined) ?? 'active';
  } catch {
    return cached?.status ?? 'active';
  }
  if (statusCache.size >= STATUS_CACHE_ENTRIES) statusCache.delete(statusCache.keys().next().value as string);
  statusCache.set(tenantId, { status, until: nowMs + TENANT_STATUS_TTL_MS });
  return status;
}

/** Drops the cached status (after this container changed it). */
export function forgetTenantStatus(tenantId: string): void {
  statusCache.delete(tenantId);
}
