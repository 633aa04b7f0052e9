/**
 * `cmdb-write`: the cmdb practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /cis': () => import('./create-ci.js'),
  'PATCH /cis/{id}': () => import('./update-ci.js'),
  'POST /cis/{id}/retire': () => import('./retire-ci.js'),
  'POST /cis/{id}/relationships': () => import('./add-ci-relationship.js'),
  'DELETE /cis/{id}/relationships/{type}/{otherId}': () => import('./remove-ci-relationship.js'),
  'PUT /settings/cmdb': () => import('./put-cmdb-settings.js'),
};

export const handler = createRouter(routeModules);
