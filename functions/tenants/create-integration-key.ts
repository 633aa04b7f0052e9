/** `POST /settings/integration-keys`: a new key; the routing key is in this answer and nowhere else. @module */

import { ulid } from 'ulid';
import { now } from '../../shared/clock.js';
import { insertIntegrationKey } from '../../shared/data/integration-key-repository.js';
import { generateSecret, issueIntegrationKey } from '../../shared/domain/integration-key.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { integrationKeyResource } from './integration-key-resource.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export const handler = httpHandler(routes.createIntegrationKey, async ({ actor, body, path }) => {
  const { key, routingKey } = issueIntegrationKey(body, { keyId: ulid(), secret: generateSecret() }, { actor, now: now().toISOString() });
  const stored = await insertIntegrationKey(key, actor);
  return { statusCode: 201, body: { ...integrationKeyResource(stored), routingKey }, headers: { location: `${path}/${key.keyId}` }, version: key.version };
});
