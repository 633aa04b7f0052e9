/**
 * The event catalogue: every detail-type this product emits, with the zod
 * schema of its detail. Events are past-tense facts; `source` names the
 * practice (`itsm.incidents`). Each practice declares its events in
 * `catalogue/<practice>.ts`; this module gathers them.
 * @module
 */

import { alertEvents } from './catalogue/alerts.js';
import { changeEvents } from './catalogue/changes.js';
import { cmdbEvents } from './catalogue/cmdb.js';
import { continuityEvents } from './catalogue/continuity.js';
import { groupEvents } from './catalogue/groups.js';
import { incidentEvents } from './catalogue/incidents.js';
import { knowledgeEvents } from './catalogue/knowledge.js';
import { problemEvents } from './catalogue/problems.js';
import { requestEvents } from './catalogue/requests.js';
import { slaEvents } from './catalogue/sla.js';
import { tenantEvents } from './catalogue/tenants.js';
import { webhookEvents } from './catalogue/webhooks.js';

export * from './catalogue/alerts.js';
export * from './catalogue/changes.js';
export * from './catalogue/cmdb.js';
export * from './catalogue/common.js';
export * from './catalogue/continuity.js';
export * from './catalogue/groups.js';
export * from './catalogue/incidents.js';
export * from './catalogue/knowledge.js';
export * from './catalogue/problems.js';
export * from './catalogue/requests.js';
export * from './catalogue/sla.js';
export * from './catalogue/tenants.js';
export * from './catalogue/webhooks.js';

/** Every detail-type, its source and its schema, gathered from the practices' catalogues. */
export const EVENT_CATALOGUE = {
  ...incidentEvents,
  ...slaEvents,
  ...alertEvents,
  ...webhookEvents,
  ...cmdbEvents,
  ...changeEvents,
  ...continuityEvents,
  ...requestEvents,
  ...groupEvents,
  ...tenantEvents,
  ...problemEvents,
  ...knowledgeEvents,
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
