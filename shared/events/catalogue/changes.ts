/**
 * Events of the changes practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema, SettingsEventDetail } from './common.js';

/** Detail of every change event (never a workflow task token). */
export const ChangeEventDetail = EventEnvelope.extend({
  changeId: z.string(),
  number: z.string(),
  version: z.number().int(),
  type: z.enum(['standard', 'normal', 'emergency']),
  status: z.string(),
  risk: z.enum(['low', 'medium', 'high']).nullable(),
  continuityImpact: z.boolean(),
  ciIds: z.array(z.string()),
  serviceIds: z.array(z.string()),
  plannedStart: z.string(),
  plannedEnd: z.string(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type ChangeEventDetail = z.infer<typeof ChangeEventDetail>;

/** Detail of every release event. */
export const ReleaseEventDetail = EventEnvelope.extend({
  releaseId: z.string(),
  number: z.string(),
  version: z.number().int(),
  status: z.string(),
  changeIds: z.array(z.string()),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type ReleaseEventDetail = z.infer<typeof ReleaseEventDetail>;

/** The changes practice's events: detail-type → source, schema, description. */
export const changeEvents = {
  ...eventsOf('itsm.changes', ChangeEventDetail, {
    ChangeCreated: 'A change request was recorded (status new); `facts.retrospective` when it records an emergency change already made.',
    ChangeSubmitted:
      'Submitted: standard changes go straight to the calendar, normal ones to assessment, emergency ones to authorisation (`facts.freezeOverride`; `facts.retrospective` for a retrospective emergency record).',
    ChangeAssessed: 'Impact, risk, resources and continuity impact assessed; on to authorisation.',
    ChangeApprovalRequested: 'An approval level was asked to decide (`facts.level`, `facts.approvers`).',
    ChangeApprovalRecorded: 'An approver approved; `facts.outcome` is `level_approved` when the vote completed a level that is not the last.',
    ChangeApprovalEscalated: 'A level timed out and its escalation approvers joined it.',
    ChangeApproved: 'Every approval level reached its quorum.',
    ChangeRejected: 'An approver rejected the change, or its approval expired (`facts.outcome` `expired`).',
    ChangeScheduled: 'The change holds its window on the change calendar.',
    ChangeImplementationStarted: 'The window opened: the change was handed over for implementation.',
    ChangeImplemented: 'The implementer reported the result (`facts.result` success or failed; a failure is rolled back).',
    ChangeFailed: 'The implementation failed and the backout plan was run (rolled back); on to review.',
    ChangeClosed: 'The post-implementation review closed the change.',
    ChangeCancelled: 'Cancelled before implementation; its workflow is stopped.',
  }),
  ...eventsOf('itsm.releases', ReleaseEventDetail, {
    ReleaseCreated: 'A release grouping approved changes was planned.',
    ReleaseDeployed: 'A deployment stage (pilot, then full) was carried out (`facts.stage`).',
    ReleaseCompleted: 'The release finished: `facts.result` is `success` or `rolled_back` (release success rate).',
  }),
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    ChangeApprovalSettingsUpdated: "The tenant's change approval policies (levels, quorum, timeouts, delegations) changed.",
    ChangeSettingsUpdated: "The tenant's risk questionnaire or standard-change templates changed.",
    ChangeCalendarUpdated: 'Freeze periods or maintenance windows changed.',
  }),
};
