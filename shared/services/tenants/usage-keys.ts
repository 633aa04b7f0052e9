/**
 * The usage-key port: what meters a tenant's requests against its tier,
 * kept in step with the tenant record by {@link syncUsageKey} (the
 * `TenantUsageKeys` bus rule runs it on every life-cycle event that moves
 * the key).
 * In AWS, API Gateway usage plans ({@link apiGatewayUsageKeys}): each
 * tenant has an API key whose value is `usageKeyOf(tenantId)` (the
 * authorizer returns that value as `usageIdentifierKey`), a member of the
 * usage plan of the tenant's tier and of no other. Locally the throttle of
 * the local server plays the plans (`infra/local/local-usage-keys.ts`,
 * installed with {@link useUsageKeys}).
 *
 * Both operations converge: each step reads or tolerates the state a
 * previous, half-finished attempt left (a key created but not yet in its
 * plan, a key already removed from a plan), so a retry after any failure
 * ends in the same state as a clean run.
 * @module
 */
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { getTenant } from '#shared/data/tenants/tenant-repository.js';
import { isTenantTier, TENANT_TIERS, type TenantTier, usageKeyOf } from '#shared/domain/tenant-limits.js';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';

export interface UsageKeys {
  /** The tenant's key exists and belongs to `tier`'s plan only (onboarding, a tier change, a resume). */
  assign(tenantId: string, tier: TenantTier): Promise<void>;
  /** The tenant's key is in no plan and no longer exists (deletion); an absent key is fine. */
  revoke(tenantId: string): Promise<void>;
}

/** The usage plan ids of the stage, by tier (CDK passes them as `USAGE_PLAN_IDS`). */
export type UsagePlanIds = Readonly<Record<TenantTier, string>>;

/** Pages of `GetApiKeys` read at most when looking a key up by name (a prefix query: other names can share the prefix). */
const KEY_LOOKUP_PAGES = 4;

/**
 * The API Gateway adapter. The key's name is its value (`usageKeyOf`),
 * so the key of a tenant is found by name without keeping its id anywhere;
 * its description names the tenant for operators.
 */
export function apiGatewayUsageKeys(client: Pick<APIGatewayClient, 'send'>, planIds: UsagePlanIds): UsageKeys {
  async function findKeyId(name: string): Promise<string | null> {
    let position: string | undefined;
    for (let page = 0; page < KEY_LOOKUP_PAGES; page++) {
      const found = await client.send(new GetApiKeysCommand({ nameQuery: name, limit: 100, includeValues: false, ...(position ? { position } : {}) }));
      const key = found.items?.find((item) => item.name === name && item.id);
      if (key?.id) return key.id;
      position = found.position;
      if (!position) return null;
    }
    return null;
  }

  async function ensureKey(tenantId: string): Promise<string> {
    const name = usageKeyOf(tenantId);
    const existing = await findKeyId(name);
    if (existing) return existing;
    try {
      const created = await client.send(
        new CreateApiKeyCommand({ name, value: name, enabled: true, customerId: tenantId, description: `ITSM tenant ${tenantId}: meters its requests` }),
      );
      if (!created.id) throw new Error(`API Gateway created the key of tenant ${tenantId} without an id`);
      return created.id;
    } catch (error) {
      // Created meanwhile (a concurrent retry): the key is there, under its name.
      if (!(error instanceof ConflictException)) throw error;
      const raced = await findKeyId(name);
      if (!raced) throw error;
      return raced;
    }
  }

  async function leavePlan(usagePlanId: string, keyId: string): Promise<void> {
    try {
      await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId, keyId }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
  }

  return {
    async assign(tenantId, tier) {
      const keyId = await ensureKey(tenantId);
      // Out of the other plans first: API Gateway refuses a key in two plans of the same stage. Until the
      // key is in its new plan (milliseconds) the tenant's calls are refused 403 tenant-not-provisioned.
      for (const other of TENANT_TIERS) if (other !== tier) await leavePlan(planIds[other], keyId);
      try {
        await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planIds[tier], keyId, keyType: 'API_KEY' }));
      } catch (error) {
        // In the plan already: an earlier attempt got this far.
        if (!(error instanceof ConflictException)) throw error;
      }
    },
    async revoke(tenantId) {
      const keyId = await findKeyId(usageKeyOf(tenantId));
      if (!keyId) return;
      for (const tier of TENANT_TIERS) await leavePlan(planIds[tier], keyId);
      try {
        await client.send(new DeleteApiKeyCommand({ apiKey: keyId }));
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
    },
  };
}

/** Reads `USAGE_PLAN_IDS` (`{"trial":"…","standard":"…","premium":"…"}`); every tier must have its plan. */
export function usagePlanIdsOf(json: string): UsagePlanIds {
  const parsed: unknown = JSON.parse(json);
  const ids = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const missing = TENANT_TIERS.filter((tier) => typeof ids[tier] !== 'string' || ids[tier] === '');
  if (missing.length > 0 || Object.keys(ids).some((tier) => !isTenantTier(tier))) {
    throw new Error(`USAGE_PLAN_IDS must name a usage plan for each of ${TENANT_TIERS.join(', ')} and nothing else`);
  }
  return ids as UsagePlanIds;
}

let configured: UsageKeys | undefined;

/** The deployment's usage keys: the stand-in installed by {@link useUsageKeys}, else API Gateway with the plans of `USAGE_PLAN_IDS`. */
export function usageKeys(): UsageKeys {
  configured ??= apiGatewayUsageKeys(traced(new APIGatewayClient(awsClientConfig('APIGATEWAY_ENDPOINT'))), usagePlanIdsOf(requiredEnv('USAGE_PLAN_IDS')));
  return configured;
}

/**
 * Brings the tenant's key in line with its record, whatever event asked: an
 * active or suspended tenant's key in its tier's plan (a suspended tenant's
 * calls are refused by the authorizer, not by a missing key), a deleting or
 * deleted tenant's key gone. Reading the record rather than trusting the
 * event makes retries, duplicates and out-of-order deliveries harmless.
 * Answers what it did.
 */
export async function syncUsageKey(tenantId: string, keys: UsageKeys = usageKeys()): Promise<'assigned' | 'revoked' | 'no-tenant'> {
  const tenant = await getTenant(tenantId);
  if (!tenant) return 'no-tenant';
  if (tenant.status === 'deleting' || tenant.status === 'deleted') {
    await keys.revoke(tenantId);
    return 'revoked';
  }
  await keys.assign(tenantId, tenant.tier);
  return 'assigned';
}

/** Installs the local stack's stand-in (the local server's throttle), as the local stack starts. */
export function useUsageKeys(keys: UsageKeys): void {
  configured = keys;
}
