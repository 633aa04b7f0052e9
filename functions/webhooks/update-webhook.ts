/** `PATCH /webhooks/{id}`: name, URL, filter, or re-enable after failures. @module */

import { saveSubscription } from '#shared/data/webhooks/webhook-repository.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import { subscriptionChanges, type WebhookSubscription } from '#shared/domain/webhooks/webhook.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { checkTarget, findSubscription, webhookResource } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.updateWebhook, async ({ actor, params, body, ifMatch }) => {
  await checkTarget(body);
  const current = await findSubscription(actor, params.id);
  checkIfMatch(ifMatch, current.version);
  const enabled = body.enabled ?? current.enabled;
  const next: WebhookSubscription = {
    ...current,
    name: body.name ?? current.name,
    url: body.url ?? current.url,
    pattern: body.pattern ?? current.pattern,
    enabled,
    disabledReason: enabled ? null : current.disabledReason,
    updatedAt: new Date().toISOString(),
    updatedBy: actor.userId,
    version: current.version + 1,
  };
  const changes = subscriptionChanges(current, next);
  if (changes.length === 0) throw new UnprocessableError('The patch changes nothing.');
  await saveSubscription(next, actor, { type: 'WebhookSubscriptionUpdated', action: 'update', changes }, current.version, ifMatch !== undefined);
  return { statusCode: 200, body: webhookResource(next), version: next.version };
});
