/**
 * The route table of the HTTP API: the single list that the CDK stack, the
 * local server and the OpenAPI generator all read. Each practice declares
 * its routes beside its handlers; this module only gathers them. Pure data
 * and schemas: importing it loads no handler.
 * @module
 */
import { alertRoutes } from './alerts/alert-routes.js';
import { changeRoutes } from './changes/change-routes.js';
import { cmdbRoutes } from './cmdb/cmdb-routes.js';
import { continuityRoutes } from './continuity/continuity-routes.js';
import { incidentRoutes } from './incidents/incident-routes.js';
import { platformRoutes } from './platform/platform-routes.js';
import { tenantRoutes } from './tenants/tenant-routes.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

export const routes = {
  ...incidentRoutes,
  ...tenantRoutes,
  ...alertRoutes,
  ...webhookRoutes,
  ...platformRoutes,
  ...cmdbRoutes,
  ...changeRoutes,
  ...continuityRoutes,
} as const;

export type RouteName = keyof typeof routes;
