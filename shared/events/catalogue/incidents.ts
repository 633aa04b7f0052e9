/**
 * Events of the incidents practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema, SettingsEventDetail } from './common.js';

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
  ...eventsOf('itsm.incidents', IncidentEventDetail, {
    IncidentCreated: 'An incident was recorded.',
    IncidentUpdated: 'Classification or description fields changed (priority may follow).',
    IncidentAssigned: 'Dispatched or reassigned to a group or person; `facts.returnedDispatch` marks a hand-back.',
    IncidentWorkStarted: 'The assignee started work.',
    IncidentPutOnHold: 'Waiting for the customer, a vendor or a change (`facts.reason`).',
    IncidentResumed: 'Work resumed after a hold.',
    IncidentResolved: 'A fix or workaround was applied.',
    IncidentClosed: 'The resolution was confirmed and the incident closed.',
    IncidentReopened: 'A resolved incident was reopened.',
    IncidentCancelled: 'Cancelled by a manager (raised in error, duplicate).',
    IncidentNoteAdded: 'A work note or customer-visible comment was added (`facts.visibility`).',
  }),
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    PriorityMatrixUpdated: "The tenant's impact × urgency matrix changed.",
  }),
  ...eventsOf('itsm.incidents', IncidentEventDetail, {
    IncidentEscalated:
      'An escalation level was reached (`facts.level`, `facts.kind`): functional reassigns the incident (`changes`), hierarchical notifies `facts.notifyRoles` / `facts.notifyUsers`.',
  }),
};
