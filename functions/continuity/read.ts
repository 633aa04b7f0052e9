/**
 * `continuity-read`: the continuity practice's read routes, one Lambda function
 * routed by the route table's method and path. Each route's module loads on
 * its first request; the data client loads at init.
 * @module
 */
import '#shared/data/client.js';
import { createRouter, type RouteModules } from '#shared/http/router.js';

export const routeModules: RouteModules = {
  'GET /continuity-plans': () => import('./list-plans.js'),
  'GET /continuity-plans/{id}': () => import('./get-plan.js'),
  'GET /continuity-plans/{id}/export': () => import('./export-plan.js'),
  'GET /continuity-tests/{id}': () => import('./get-test.js'),
  'POST /continuity-tests/{id}/steps/{stepId}/confirm': () => import('./confirm-step.js'),
  'GET /improvement-items': () => import('./list-improvement-items.js'),
  'GET /improvement-items/{id}': () => import('./get-improvement-item.js'),
};

export const handler = createRouter(routeModules);
