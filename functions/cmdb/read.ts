/**
 * `cmdb-read`: the cmdb practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /cis': () => import('./list-cis.js'),
  'GET /cis/{id}': () => import('./get-ci.js'),
  'GET /cis/{id}/history': () => import('./get-ci-history.js'),
  'GET /cis/{id}/relationships': () => import('./list-ci-relationships.js'),
  'GET /ci-classes': () => import('./list-ci-classes.js'),
  'GET /services': () => import('./list-services.js'),
  'GET /services/{code}': () => import('./get-service.js'),
  'GET /settings/cmdb': () => import('./get-cmdb-settings.js'),
};

export const handler = createRouter(routeModules);
