/**
 * `changes-read`: the changes practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /changes': () => import('./list-changes.js'),
  'GET /changes/can-deploy': () => import('./can-deploy.js'),
  'GET /changes/{id}': () => import('./get-change.js'),
  'GET /changes/{id}/history': () => import('./get-change-history.js'),
  'GET /change-calendar': () => import('./get-change-calendar.js'),
  'GET /change-metrics': () => import('./get-change-metrics.js'),
  'GET /settings/change-approval': () => import('./get-change-approval-settings.js'),
  'GET /settings/change-calendar': () => import('./get-change-calendar-settings.js'),
  'GET /settings/change-model': () => import('./get-change-model-settings.js'),
  'GET /releases': () => import('./list-releases.js'),
  'GET /releases/{id}': () => import('./get-release.js'),
};

export const handler = createRouter(routeModules);
