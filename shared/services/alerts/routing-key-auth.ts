/**
 * Authenticates the `routing_key` of `POST /alerts`, which is public at
 * the gateway (monitoring tools send no bearer token): the key names its
 * tenant and key id, one consistent GetItem finds the stored hash, and the
 * secret is compared in constant time. Every failure answers the same 401,
 * so a caller cannot tell an unknown tenant from a wrong secret.
 *
 * The route is public, so no tenant scope is open yet: the lookup runs in
 * the scope of the tenant the key claims, so its credentials can only read
 * that tenant's keys, and a forged key cannot reach any other tenant's.
 * @module
 */
import { getIntegrationKey } from '#shared/data/alerts/integration-key-repository.js';
import { runInTenantScope } from '#shared/data/tenant-scope.js';
import { isActive, parseRoutingKey, secretMatches } from '#shared/domain/alerts/integration-key.js';
import { UnauthorizedError } from '#shared/domain/errors.js';

/** Who sent an alert: the tenant and the integration key it used. */
export interface AlertCaller {
  readonly tenantId: string;
  readonly keyId: string;
}

/**
 * The caller a routing key belongs to; throws a 401 for anything else.
 * What the caller then does for the tenant belongs in
 * `runInTenantScope(caller.tenantId, …)`.
 */
export async function authenticateRoutingKey(routingKey: string): Promise<AlertCaller> {
  const parts = parseRoutingKey(routingKey);
  const denied = () => new UnauthorizedError('The routing key is not a valid integration key.');
  if (!parts) throw denied();
  const key = await runInTenantScope(parts.tenantId, () => getIntegrationKey(parts.tenantId, parts.keyId));
  if (!key || !isActive(key) || !secretMatches(parts.secret, key.secretHash)) throw denied();
  return { tenantId: key.tenantId, keyId: key.keyId };
}
