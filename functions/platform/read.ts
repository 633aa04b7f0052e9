/**
 * `platform-read`: the platform practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; neither route touches the table.
 * @module
 */
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /events/catalogue': () => import('./get-event-catalogue.js'),
  'GET /openapi.json': () => import('./get-openapi.js'),
};

export const handler = createRouter(routeModules);
