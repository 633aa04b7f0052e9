/** `GET /webhooks/{id}`. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { findSubscription, webhookResource } from './webhook-access.js';
import { webhookRoutes as routes } from './webhook-routes.js';

export const handler = httpHandler(routes.getWebhook, async ({ actor, params }) => {
  const subscription = await findSubscription(actor, params.id);
  return { statusCode: 200, body: webhookResource(subscription), version: subscription.version };
});
