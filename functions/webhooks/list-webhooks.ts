/** `GET /webhooks`. @module */
import { listSubscriptions } from '../../shared/data/webhook-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { routes } from '../routes.js';
import { webhookResource } from './webhook-access.js';

export const handler = httpHandler(routes.listWebhooks, async ({ actor }) => ({
  statusCode: 200,
  body: { items: (await listSubscriptions(actor.tenantId)).map(webhookResource) },
}));
