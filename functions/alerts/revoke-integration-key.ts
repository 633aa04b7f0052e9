/** `DELETE /settings/integration-keys/{keyId}`: revoke a key (idempotent). @module */
import { now } from '#shared/clock.js';
import { getIntegrationKey, saveRevokedIntegrationKey } from '#shared/data/alerts/integration-key-repository.js';
import { revokeIntegrationKey } from '#shared/domain/alerts/integration-key.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.revokeIntegrationKey, async ({ actor, params }) => {
  const key = await getIntegrationKey(actor.tenantId, params.keyId);
  if (!key) throw new NotFoundError(`Integration key ${params.keyId} was not found.`);
  const revoked = revokeIntegrationKey(key, { actor, now: now().toISOString() });
  // Already revoked: nothing to write, and the caller's wish is already true.
  if (revoked) await saveRevokedIntegrationKey(revoked, actor, key.version);
  return { statusCode: 204 };
});
