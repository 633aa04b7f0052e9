/**
 * Where a tenant's limits are read and its quota counters kept.
 *
 * `tenantTierOf` is the one function that says which commercial tier a
 * tenant is on. Until the tenant record exists (the tenants practice), it
 * reads a small tenant settings item (`SETTINGS` / `TENANT_PLAN`: `tier`,
 * optional `quotaOverrides`), defaulting to the standard tier; swap its body
 * for the tenant record's read and nothing else changes. Reads are cached per
 * container for {@link PLAN_CACHE_MS}: the local server asks on every request.
 *
 * Quota counters are one item per tenant and quota in the settings
 * partition (`SETTINGS` / `QUOTA#<name>`), moved by `commitMutation` in the
 * same transaction as the create or retirement they count.
 * @module
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TENANT_TIER, isTenantTier, QUOTA_NAMES, type QuotaName, quotaOf, type TenantTier } from '#shared/domain/tenant-limits.js';
import { db, tableName } from './client.js';
import type { QuotaClaim } from './commit-mutation.js';
import { type PrimaryKey, tenantPrefix } from './keys.js';

/** How long a tenant's plan is trusted from memory: a tier change reaches every container within this. */
export const PLAN_CACHE_MS = 30_000;

export interface TenantPlan {
  readonly tier: TenantTier;
  readonly quotaOverrides: Partial<Record<QuotaName, number>>;
}

export function tenantPlanKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'TENANT_PLAN' };
}

export function quotaCounterKey(tenantId: string, quota: QuotaName): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: `QUOTA#${quota}` };
}

/**
 * The tier of a tenant with no plan: `DEFAULT_TENANT_TIER` when the
 * deployment names a valid one (the local test stack runs its throwaway
 * tenants on premium), else the standard tier.
 */
function defaultTier(): TenantTier {
  const configured = process.env.DEFAULT_TENANT_TIER;
  return isTenantTier(configured) ? configured : DEFAULT_TENANT_TIER;
}

const cache = new Map<string, { plan: TenantPlan; until: number }>();
/** Bounded: a container serving many tenants forgets the oldest first. */
const CACHE_ENTRIES = 10_000;

/** The tenant's plan (tier and quota overrides), from memory when fresh. */
export async function tenantPlanOf(tenantId: string, nowMs = Date.now()): Promise<TenantPlan> {
  const cached = cache.get(tenantId);
  if (cached && cached.until > nowMs) return cached.plan;
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: tenantPlanKey(tenantId) }));
  const item = result.Item as { tier?: unknown; quotaOverrides?: Record<string, unknown> } | undefined;
  const overrides = Object.fromEntries(
    QUOTA_NAMES.flatMap((name) => (typeof item?.quotaOverrides?.[name] === 'number' ? [[name, item.quotaOverrides[name] as number]] : [])),
  ) as Partial<Record<QuotaName, number>>;
  const plan: TenantPlan = { tier: isTenantTier(item?.tier) ? item.tier : defaultTier(), quotaOverrides: overrides };
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(tenantId, { plan, until: nowMs + PLAN_CACHE_MS });
  return plan;
}

/** The tenant's commercial tier: the one place that knows where it is stored. */
export async function tenantTierOf(tenantId: string): Promise<TenantTier> {
  return (await tenantPlanOf(tenantId)).tier;
}

/**
 * Sets a tenant's plan (operators and tests; the tenants practice will own
 * this write). Not audited here: it moves to the tenant record's audited
 * lifecycle.
 */
export async function putTenantPlan(tenantId: string, plan: TenantPlan): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...tenantPlanKey(tenantId), entity: 'TenantPlan', ...plan } }));
  cache.delete(tenantId);
}

/** Moves the tenant's plan to `tier`, keeping its quota overrides: one UpdateItem. */
export async function setTenantPlanTier(tenantId: string, tier: TenantTier): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: tenantPlanKey(tenantId),
      UpdateExpression: 'SET tier = :tier, entity = :entity, quotaOverrides = if_not_exists(quotaOverrides, :none)',
      ExpressionAttributeValues: { ':tier': tier, ':entity': 'TenantPlan', ':none': {} },
    }),
  );
  cache.delete(tenantId);
}

/** The claim a create of one `quota` unit makes (the limit of the tenant's tier, or its override). */
export async function quotaClaim(tenantId: string, quota: QuotaName): Promise<QuotaClaim> {
  const plan = await tenantPlanOf(tenantId);
  return { key: quotaCounterKey(tenantId, quota), quota, delta: 1, limit: quotaOf(plan.tier, quota, plan.quotaOverrides) };
}

/** The claim that gives one unit back (a retired or deleted record). */
export function quotaRelease(tenantId: string, quota: QuotaName): QuotaClaim {
  return { key: quotaCounterKey(tenantId, quota), quota, delta: -1, limit: 0 };
}

/** How many units of `quota` the tenant holds: one GetItem. */
export async function quotaUsage(tenantId: string, quota: QuotaName): Promise<number> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: quotaCounterKey(tenantId, quota), ConsistentRead: true }));
  return typeof result.Item?.count === 'number' ? result.Item.count : 0;
}
