/**
 * `alerts-read`: the alerts practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /settings/alert-policy': () => import('./get-alert-policy.js'),
  'GET /settings/integration-keys': () => import('./list-integration-keys.js'),
};

export const handler = createRouter(routeModules);
