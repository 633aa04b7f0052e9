/**
 * `sla-write`: the sla practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'PUT /settings/sla': () => import('./put-sla-policy.js'),
  'PUT /settings/escalation': () => import('./put-escalation-policy.js'),
};

export const handler = createRouter(routeModules);
