/**
 * `incidents-read`: the incidents practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /incidents': () => import('./list-incidents.js'),
  'GET /incidents/{id}': () => import('./get-incident.js'),
  'GET /incidents/{id}/notes': () => import('./list-incident-notes.js'),
  'GET /incidents/{id}/sla': () => import('./get-incident-sla.js'),
  'GET /incidents/{id}/history': () => import('./get-incident-history.js'),
  'GET /settings/priority-matrix': () => import('./get-priority-matrix.js'),
};

export const handler = createRouter(routeModules);
