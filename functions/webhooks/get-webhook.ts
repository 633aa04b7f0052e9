/** `GET /webhooks/{id}`. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { findSubscription, webhookResource } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.getWebhook, async ({ actor, params }) => {
  const subscription = await findSubscription(actor, params.id);
  return { statusCode: 200, body: webhookResource(subscription), version: subscription.version };
});
