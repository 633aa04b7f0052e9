/** `GET /webhooks`. @module */
import { listSubscriptions } from '../../shared/data/webhook-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { webhookResource } from './webhook-access.js';
import { webhookRoutes as routes } from './webhook-routes.js';

export const handler = httpHandler(routes.listWebhooks, async ({ actor }) => ({
  statusCode: 200,
  body: { items: (await listSubscriptions(actor.tenantId)).map(webhookResource) },
}));
