/** `POST /webhooks`: subscribe a URL to events matching a pattern; the secret is returned once. @module */
import { ulid } from 'ulid';
import { insertSubscription } from '#shared/data/webhooks/webhook-repository.js';
import { subscriptionChanges, type WebhookSubscription } from '#shared/domain/webhooks/webhook.js';
import { newWebhookSecret } from '#shared/events/webhook-signature.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { checkTarget, webhookResource } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.createWebhook, async ({ actor, body, idempotency }) => {
  await checkTarget(body);
  const now = new Date().toISOString();
  const subscription: WebhookSubscription = {
    id: ulid(),
    tenantId: actor.tenantId,
    name: body.name,
    url: body.url,
    pattern: body.pattern,
    enabled: true,
    disabledReason: null,
    secrets: [newWebhookSecret()],
    previousSecretExpiresAt: null,
    createdAt: now,
    createdBy: actor.userId,
    updatedAt: now,
    updatedBy: actor.userId,
    version: 1,
  };
  const result = {
    statusCode: 201,
    body: { ...webhookResource(subscription), secret: subscription.secrets[0] },
    headers: { location: `/webhooks/${subscription.id}` },
    version: 1,
  };
  const replay = await insertSubscription(
    subscription,
    actor,
    subscriptionChanges(null, subscription),
    idempotency && { ...idempotency, response: storedResponse(result) },
  );
  return replay ? replayedResult(replay.response) : result;
});
