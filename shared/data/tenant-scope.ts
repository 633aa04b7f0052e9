/**
 * The tenant a piece of work runs for, carried through every `await` by
 * `AsyncLocalStorage`. The HTTP middleware enters a scope for each
 * authenticated request; background work (outbox publisher, workflow tasks,
 * scheduled jobs) runs outside any scope. Inside a scope the data client
 * only lets through keys of that tenant, and in AWS it signs with
 * credentials IAM confines to them (`./tenant-guard.ts`, `./client.ts`).
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSafeId } from '#shared/domain/identifiers.js';
import { PLATFORM_SCOPE } from '#shared/domain/roles.js';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `fn` for `tenantId`: every DynamoDB call it makes, however deep,
 * may only touch `TENANT#<tenantId>#` keys. Entering the scope of the
 * tenant already in scope is a no-op; switching to another tenant inside a
 * scope is a bug, so it throws.
 */
export function runInTenantScope<T>(tenantId: string, fn: () => T): T {
  if (!isSafeId(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
  const current = scope.getStore();
  if (current !== undefined && current !== tenantId) throw new Error(`Tenant scope ${current} cannot switch to tenant ${tenantId}`);
  return scope.run(tenantId, fn);
}

/** The tenant in scope, or `undefined` outside any (background work). */
export function currentTenant(): string | undefined {
  return scope.getStore();
}

/**
 * Runs `fn` in `tenantId`'s scope from the platform's: the operator's
 * handlers act on one tenant's keys (its templates, its first admin, its
 * export) through the same wall as the tenant's own users. Only the
 * platform scope may do this; a tenant's scope can never switch.
 */
export function runAsTenantFromPlatform<T>(tenantId: string, fn: () => T): T {
  if (scope.getStore() !== PLATFORM_SCOPE) throw new Error('Only the platform scope may act in a tenant scope');
  if (!isSafeId(tenantId) || tenantId === PLATFORM_SCOPE) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
  return scope.run(tenantId, fn);
}
