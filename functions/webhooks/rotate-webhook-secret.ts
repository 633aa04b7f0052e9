/** `POST /webhooks/{id}/rotate-secret`: a new secret, returned once; the old one keeps signing for 24 h. @module */

import { saveSubscription } from '#shared/data/webhooks/webhook-repository.js';
import { SECRET_OVERLAP_HOURS, subscriptionChanges, type WebhookSubscription } from '#shared/domain/webhooks/webhook.js';
import { newWebhookSecret } from '#shared/events/webhook-signature.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { findSubscription, webhookResource } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.rotateWebhookSecret, async ({ actor, params, ifMatch }) => {
  const current = await findSubscription(actor, params.id);
  checkIfMatch(ifMatch, current.version);
  const now = new Date();
  const secret = newWebhookSecret();
  const next: WebhookSubscription = {
    ...current,
    secrets: [secret, ...current.secrets.slice(0, 1)],
    previousSecretExpiresAt: new Date(now.getTime() + SECRET_OVERLAP_HOURS * 3600_000).toISOString(),
    updatedAt: now.toISOString(),
    updatedBy: actor.userId,
    version: current.version + 1,
  };
  await saveSubscription(
    next,
    actor,
    { type: 'WebhookSecretRotated', action: 'rotate-secret', changes: subscriptionChanges(current, next) },
    current.version,
    ifMatch !== undefined,
  );
  return { statusCode: 200, body: { ...webhookResource(next), secret }, version: next.version };
});
