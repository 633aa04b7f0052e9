/**
 * Events of the sla practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, SettingsEventDetail } from './common.js';

/** Detail of SLA threshold events, announced by the escalation workflow (actor `sla-engine`). */
export const SlaEventDetail = EventEnvelope.extend({
  incidentId: z.string(),
  number: z.string(),
  version: z.number().int().describe('The incident version the clocks were computed at'),
  metric: z.enum(['response', 'resolution']),
  threshold: z.number().gt(0).max(1).describe('Fraction of the target: a warning below 1, the breach at 1'),
  priority: z.number().int(),
  dueAt: z.string().nullable().describe('ISO-8601 UTC; null while the clock is paused before the breach'),
  reachedAt: z.string().describe('When the threshold was reached (ISO-8601 UTC); may precede occurredAt'),
});
export type SlaEventDetail = z.infer<typeof SlaEventDetail>;

/** The sla practice's events: detail-type → source, schema, description. */
export const slaEvents = {
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    SlaDefinitionUpdated: "The tenant's SLA definition (targets, business calendar, pause rules, warning thresholds) changed.",
    EscalationPolicyUpdated: "The tenant's escalation policy (levels, triggers, targets, quiet hours) changed.",
  }),
  ...eventsOf('itsm.sla', SlaEventDetail, {
    SlaWarning: 'An SLA clock reached a warning threshold (`threshold`, e.g. 0.75 of the target).',
    SlaBreached: 'An SLA clock reached its target: the response or resolution is late.',
  }),
};
