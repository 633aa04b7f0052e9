/** `POST /settings/integration-keys`: a new key; the routing key is in this answer and nowhere else. @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertIntegrationKey } from '#shared/data/alerts/integration-key-repository.js';
import { generateSecret, issueIntegrationKey } from '#shared/domain/alerts/integration-key.js';
import { integrationKeyResource } from '#shared/http/alerts/integration-key-resource.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.createIntegrationKey, async ({ actor, body, path }) => {
  const { key, routingKey } = issueIntegrationKey(body, { keyId: ulid(), secret: generateSecret() }, { actor, now: now().toISOString() });
  const stored = await insertIntegrationKey(key, actor);
  return { statusCode: 201, body: { ...integrationKeyResource(stored), routingKey }, headers: { location: `${path}/${key.keyId}` }, version: key.version };
});
