/**
 * `changes-write`: the changes practice's write routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'POST /changes': () => import('./create-change.js'),
  'POST /changes/{id}/submit': () => import('./submit-change.js'),
  'POST /changes/{id}/assess': () => import('./assess-change.js'),
  'POST /changes/{id}/approvals': () => import('./record-approval.js'),
  'POST /changes/{id}/implementation': () => import('./report-implementation.js'),
  'POST /changes/{id}/close': () => import('./close-change.js'),
  'POST /changes/{id}/cancel': () => import('./cancel-change.js'),
  'PUT /settings/change-approval': () => import('./put-change-approval-settings.js'),
  'PUT /settings/change-calendar': () => import('./put-change-calendar-settings.js'),
  'PUT /settings/change-model': () => import('./put-change-model-settings.js'),
  'POST /releases': () => import('./create-release.js'),
  'POST /releases/{id}/deploy': () => import('./deploy-release.js'),
  'POST /releases/{id}/complete': () => import('./complete-release.js'),
};

export const handler = createRouter(routeModules);
