/**
 * Events of the incidents practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, FieldChangeSchema, SettingsEventDetail } from './common.js';

/** Detail of every incident event. */
export const IncidentEventDetail = EventEnvelope.extend({
  incidentId: z.string(),
  number: z.string(),
  version: z.number().int(),
  status: z.string(),
  priority: z.number().int(),
  assignmentGroup: z.string().nullable(),
  assigneeId: z.string().nullable(),
  majorIncident: z.boolean(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type IncidentEventDetail = z.infer<typeof IncidentEventDetail>;

/** The incidents practice's events: detail-type → source, schema, description. */
export const incidentEvents = {
  IncidentCreated: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'An incident was recorded.' },
  IncidentUpdated: {
    source: 'itsm.incidents',
    schema: IncidentEventDetail,
    description: 'Classification or description fields changed (priority may follow).',
  },
  IncidentAssigned: {
    source: 'itsm.incidents',
    schema: IncidentEventDetail,
    description: 'Dispatched or reassigned to a group or person; `facts.returnedDispatch` marks a hand-back.',
  },
  IncidentWorkStarted: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'The assignee started work.' },
  IncidentPutOnHold: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'Waiting for the customer, a vendor or a change (`facts.reason`).' },
  IncidentResumed: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'Work resumed after a hold.' },
  IncidentResolved: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'A fix or workaround was applied.' },
  IncidentClosed: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'The resolution was confirmed and the incident closed.' },
  IncidentReopened: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'A resolved incident was reopened.' },
  IncidentCancelled: { source: 'itsm.incidents', schema: IncidentEventDetail, description: 'Cancelled by a manager (raised in error, duplicate).' },
  IncidentNoteAdded: {
    source: 'itsm.incidents',
    schema: IncidentEventDetail,
    description: 'A work note or customer-visible comment was added (`facts.visibility`).',
  },
  PriorityMatrixUpdated: { source: 'itsm.tenants', schema: SettingsEventDetail, description: "The tenant's impact × urgency matrix changed." },
  IncidentEscalated: {
    source: 'itsm.incidents',
    schema: IncidentEventDetail,
    description:
      'An escalation level was reached (`facts.level`, `facts.kind`): functional reassigns the incident (`changes`), hierarchical notifies `facts.notifyRoles` / `facts.notifyUsers`.',
  },
} as const;
