/**
 * `alerts-write`: the alerts practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /alerts': () => import('./ingest-alert.js'),
  'PUT /settings/alert-policy': () => import('./put-alert-policy.js'),
  'POST /settings/integration-keys': () => import('./create-integration-key.js'),
  'DELETE /settings/integration-keys/{keyId}': () => import('./revoke-integration-key.js'),
};

export const handler = createRouter(routeModules);
