/**
 * `cmdb-read-long`: the cmdb practice's long-running read routes (more memory, 29 s), one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /cis/export': () => import('./export-cis.js'),
  'GET /cis/{id}/impact': () => import('./get-ci-impact.js'),
  'GET /cmdb/health': () => import('./get-cmdb-health.js'),
};

export const handler = createRouter(routeModules);
