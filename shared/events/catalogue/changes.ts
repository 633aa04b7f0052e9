/**
 * Events of the changes practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, FieldChangeSchema, SettingsEventDetail } from './common.js';

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
  ChangeCreated: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'A change request was recorded (status new); `facts.retrospective` when it records an emergency change already made.',
  },
  ChangeSubmitted: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description:
      'Submitted: standard changes go straight to the calendar, normal ones to assessment, emergency ones to authorisation (`facts.freezeOverride`; `facts.retrospective` for a retrospective emergency record).',
  },
  ChangeAssessed: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'Impact, risk, resources and continuity impact assessed; on to authorisation.',
  },
  ChangeApprovalRequested: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'An approval level was asked to decide (`facts.level`, `facts.approvers`).',
  },
  ChangeApprovalRecorded: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'An approver approved; `facts.outcome` is `level_approved` when the vote completed a level that is not the last.',
  },
  ChangeApprovalEscalated: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'A level timed out and its escalation approvers joined it.' },
  ChangeApproved: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'Every approval level reached its quorum.' },
  ChangeRejected: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'An approver rejected the change, or its approval expired (`facts.outcome` `expired`).',
  },
  ChangeScheduled: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'The change holds its window on the change calendar.' },
  ChangeImplementationStarted: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'The window opened: the change was handed over for implementation.',
  },
  ChangeImplemented: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'The implementer reported the result (`facts.result` success or failed; a failure is rolled back).',
  },
  ChangeFailed: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description: 'The implementation failed and the backout plan was run (rolled back); on to review.',
  },
  ChangeClosed: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'The post-implementation review closed the change.' },
  ChangeCancelled: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'Cancelled before implementation; its workflow is stopped.' },
  ReleaseCreated: { source: 'itsm.releases', schema: ReleaseEventDetail, description: 'A release grouping approved changes was planned.' },
  ReleaseDeployed: {
    source: 'itsm.releases',
    schema: ReleaseEventDetail,
    description: 'A deployment stage (pilot, then full) was carried out (`facts.stage`).',
  },
  ReleaseCompleted: {
    source: 'itsm.releases',
    schema: ReleaseEventDetail,
    description: 'The release finished: `facts.result` is `success` or `rolled_back` (release success rate).',
  },
  ChangeApprovalSettingsUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's change approval policies (levels, quorum, timeouts, delegations) changed.",
  },
  ChangeSettingsUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's risk questionnaire or standard-change templates changed.",
  },
  ChangeCalendarUpdated: { source: 'itsm.tenants', schema: SettingsEventDetail, description: 'Freeze periods or maintenance windows changed.' },
} as const;
