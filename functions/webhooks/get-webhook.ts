/** `GET /webhooks/{id}`. @module */
import { httpHandler } from '../../shared/http/http-handler.js';
import { routes } from '../routes.js';
import { findSubscription, webhookResource } from './webhook-access.js';

export const handler = httpHandler(routes.getWebhook, async ({ actor, params }) => {
  const subscription = await findSubscription(actor, params.id);
  return { statusCode: 200, body: webhookResource(subscription), version: subscription.version };
});
