/**
 * The route table of the HTTP API: the single list that the CDK stack, the
 * local server and the OpenAPI generator all read. Each practice declares
 * its routes beside its handlers; this module only gathers them. Pure data
 * and schemas: importing it loads no handler.
 * @module
 */
import { alertRoutes } from './alerts/routes.js';
import { changeRoutes } from './changes/routes.js';
import { cmdbRoutes } from './cmdb/routes.js';
import { continuityRoutes } from './continuity/routes.js';
import { groupRoutes } from './groups/routes.js';
import { incidentRoutes } from './incidents/routes.js';
import { knowledgeRoutes } from './knowledge/routes.js';
import { platformRoutes } from './platform/routes.js';
import { problemRoutes } from './problems/routes.js';
import { requestRoutes } from './requests/routes.js';
import { slaRoutes } from './sla/routes.js';
import { tenantRoutes } from './tenants/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

export const routes = {
  ...incidentRoutes,
  ...slaRoutes,
  ...alertRoutes,
  ...webhookRoutes,
  ...platformRoutes,
  ...cmdbRoutes,
  ...changeRoutes,
  ...continuityRoutes,
  ...problemRoutes,
  ...requestRoutes,
  ...groupRoutes,
  ...tenantRoutes,
  ...knowledgeRoutes,
} as const;

export type RouteName = keyof typeof routes;
