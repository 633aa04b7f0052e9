/**
 * `continuity-write`: the continuity practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /continuity-plans': () => import('./create-plan.js'),
  'POST /continuity-plans/{id}/tests': () => import('./request-test.js'),
};

export const handler = createRouter(routeModules);
