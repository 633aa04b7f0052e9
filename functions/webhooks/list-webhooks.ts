/** `GET /webhooks`. @module */
import { listSubscriptions } from '#shared/data/webhooks/webhook-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { webhookResource } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.listWebhooks, async ({ actor }) => ({
  statusCode: 200,
  body: { items: (await listSubscriptions(actor.tenantId)).map(webhookResource) },
}));
