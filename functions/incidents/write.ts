/**
 * `incidents-write`: the incidents practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /incidents': () => import('./create-incident.js'),
  'PATCH /incidents/{id}': () => import('./update-incident.js'),
  'POST /incidents/{id}/assign': () => import('./assign-incident.js'),
  'POST /incidents/{id}/start': () => import('./start-incident.js'),
  'POST /incidents/{id}/hold': () => import('./hold-incident.js'),
  'POST /incidents/{id}/resume': () => import('./resume-incident.js'),
  'POST /incidents/{id}/resolve': () => import('./resolve-incident.js'),
  'POST /incidents/{id}/close': () => import('./close-incident.js'),
  'POST /incidents/{id}/reopen': () => import('./reopen-incident.js'),
  'POST /incidents/{id}/cancel': () => import('./cancel-incident.js'),
  'POST /incidents/{id}/notes': () => import('./add-incident-note.js'),
  'PUT /settings/priority-matrix': () => import('./put-priority-matrix.js'),
};

export const handler = createRouter(routeModules);
