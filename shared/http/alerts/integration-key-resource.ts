/** The API representation of an integration key. @module */
import type * as z from 'zod';
import type { IntegrationKeySummary } from '#shared/data/alerts/integration-key-repository.js';
import type { IntegrationKeyResource } from './schemas.js';

/** A stored key as the API shows it: a status instead of the revocation fields alone, never a secret or hash. */
export function integrationKeyResource(key: IntegrationKeySummary): z.infer<typeof IntegrationKeyResource> {
  return {
    keyId: key.keyId,
    name: key.name,
    status: key.revokedAt === null ? 'active' : 'revoked',
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    revokedAt: key.revokedAt,
    revokedBy: key.revokedBy,
    version: key.version,
  };
}
