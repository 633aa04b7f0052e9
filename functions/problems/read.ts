/**
 * `problems-read`: the problems practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /problems': () => import('./list-problems.js'),
  'GET /problems/{id}': () => import('./get-problem.js'),
};

export const handler = createRouter(routeModules);
