/** `DELETE /webhooks/{id}`. @module */
import { deleteSubscription } from '../../shared/data/webhook-repository.js';
import { checkIfMatch, httpHandler } from '../../shared/http/http-handler.js';
import { findSubscription } from './webhook-access.js';
import { webhookRoutes as routes } from './webhook-routes.js';

export const handler = httpHandler(routes.deleteWebhook, async ({ actor, params, ifMatch }) => {
  const current = await findSubscription(actor, params.id);
  checkIfMatch(ifMatch, current.version);
  await deleteSubscription(current, actor, new Date().toISOString(), ifMatch !== undefined);
  return { statusCode: 204 };
});
