/**
 * `webhooks-read`: the webhooks practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /webhooks': () => import('./list-webhooks.js'),
  'GET /webhooks/{id}': () => import('./get-webhook.js'),
  'GET /webhooks/{id}/deliveries': () => import('./list-webhook-deliveries.js'),
};

export const handler = createRouter(routeModules);
