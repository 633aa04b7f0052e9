/** `DELETE /webhooks/{id}`. @module */
import { deleteSubscription } from '#shared/data/webhooks/webhook-repository.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { webhookRoutes as routes } from '#shared/http/webhooks/routes.js';
import { findSubscription } from '#shared/http/webhooks/webhook-access.js';

export const handler = httpHandler(routes.deleteWebhook, async ({ actor, params, ifMatch }) => {
  const current = await findSubscription(actor, params.id);
  checkIfMatch(ifMatch, current.version);
  await deleteSubscription(current, actor, new Date().toISOString(), ifMatch !== undefined);
  return { statusCode: 204 };
});
