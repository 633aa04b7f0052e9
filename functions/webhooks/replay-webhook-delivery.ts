/** `POST /webhooks/{id}/deliveries/{deliveryId}/replay`: send a failed delivery again. @module */

import { getDelivery, saveDelivery } from '#shared/data/webhooks/webhook-repository.js';
import { ConflictError, NotFoundError } from '#shared/domain/errors.js';
import { replayable } from '#shared/domain/webhooks/webhook.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { findSubscription } from '#shared/http/webhooks/webhook-access.js';
import { attemptDelivery } from '#shared/services/webhooks/webhook-delivery.js';

export const handler = httpHandler(routes.replayWebhookDelivery, async ({ actor, params }) => {
  const subscription = await findSubscription(actor, params.id);
  const delivery = await getDelivery(actor.tenantId, subscription.id, params.deliveryId);
  if (!delivery) throw new NotFoundError(`Delivery ${params.deliveryId} was not found.`);
  if (!subscription.enabled) throw new ConflictError('The subscription is disabled: enable it (PATCH) before replaying.');
  const pending = replayable(delivery);
  await saveDelivery(pending);
  const { tenantId: _tenant, ...sent } = await attemptDelivery(subscription, pending);
  return { statusCode: 200, body: sent };
});
