/**
 * `webhooks-write`: the webhooks practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /webhooks': () => import('./create-webhook.js'),
  'PATCH /webhooks/{id}': () => import('./update-webhook.js'),
  'DELETE /webhooks/{id}': () => import('./delete-webhook.js'),
  'POST /webhooks/{id}/rotate-secret': () => import('./rotate-webhook-secret.js'),
  'POST /webhooks/{id}/deliveries/{deliveryId}/replay': () => import('./replay-webhook-delivery.js'),
};

export const handler = createRouter(routeModules);
