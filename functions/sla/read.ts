/**
 * `sla-read`: the sla practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /settings/sla': () => import('./get-sla-policy.js'),
  'GET /settings/escalation': () => import('./get-escalation-policy.js'),
};

export const handler = createRouter(routeModules);
