/** `DELETE /settings/integration-keys/{keyId}`: revoke a key (idempotent). @module */
import { now } from '../../shared/clock.js';
import { getIntegrationKey, saveRevokedIntegrationKey } from '../../shared/data/integration-key-repository.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { revokeIntegrationKey } from '../../shared/domain/integration-key.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export const handler = httpHandler(routes.revokeIntegrationKey, async ({ actor, params }) => {
  const key = await getIntegrationKey(actor.tenantId, params.keyId);
  if (!key) throw new NotFoundError(`Integration key ${params.keyId} was not found.`);
  const revoked = revokeIntegrationKey(key, { actor, now: now().toISOString() });
  // Already revoked: nothing to write, and the caller's wish is already true.
  if (revoked) await saveRevokedIntegrationKey(revoked, actor, key.version);
  return { statusCode: 204 };
});
