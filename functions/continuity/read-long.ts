/**
 * `continuity-read-long`: the continuity practice's long-running read routes (more memory, 29 s), one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /cis/{id}/availability': () => import('./get-availability.js'),
};

export const handler = createRouter(routeModules);
