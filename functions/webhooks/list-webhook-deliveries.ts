/** `GET /webhooks/{id}/deliveries`: newest first, with status and attempts. @module */
import { listDeliveries } from '#shared/data/webhooks/webhook-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { findSubscription } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.listWebhookDeliveries, async ({ actor, params, query }) => {
  const subscription = await findSubscription(actor, params.id);
  const page = await listDeliveries(actor.tenantId, subscription.id, query.limit, query.cursor);
  return { statusCode: 200, body: { items: page.items.map(({ tenantId: _tenant, ...delivery }) => delivery), nextCursor: page.nextCursor } };
});
