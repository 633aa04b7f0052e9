/**
 * Key builders of the sla practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */

import { incidentKey } from '#shared/data/incidents/keys.js';
import { type PrimaryKey, tenantPrefix } from '#shared/data/keys.js';

/** The tenant's SLA definition (targets, calendar, pause rules), in its settings partition. */
export function slaDefinitionKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'SLA' };
}

/** The tenant's escalation policy: a setting beside the SLA policy. */
export function escalationPolicyKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'ESCALATION' };
}

/** What the escalation workflow has announced for an incident: one item in the incident's partition. */
export function slaAnnouncementsKey(tenantId: string, incidentId: string): PrimaryKey {
  return { PK: incidentKey(tenantId, incidentId).PK, SK: 'SLA_ANNOUNCEMENTS' };
}
