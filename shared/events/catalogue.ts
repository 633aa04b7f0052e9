/**
 * The event catalogue: every detail-type this product emits, with the zod
 * schema of its detail. Events are past-tense facts; `source` names the
 * practice (`itsm.incidents`).
 * @module
 */
import * as z from 'zod';

/** Who did it. */
export const EventActor = z.object({ userId: z.string(), roles: z.array(z.string()) });

/** Members every event detail carries, so consumers can route and de-duplicate. */
export const EventEnvelope = z.object({
  eventId: z.string().describe('ULID, stable across redeliveries: de-duplicate on it'),
  tenantId: z.string(),
  occurredAt: z.string().describe('ISO-8601 UTC'),
  actor: EventActor,
});

const FieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

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

/** Detail of tenant settings events. */
export const SettingsEventDetail = EventEnvelope.extend({
  setting: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
});
export type SettingsEventDetail = z.infer<typeof SettingsEventDetail>;

/** Detail of integration key events; the secret and its hash never appear. */
export const IntegrationKeyEventDetail = EventEnvelope.extend({
  keyId: z.string(),
  name: z.string(),
  version: z.number().int(),
});
export type IntegrationKeyEventDetail = z.infer<typeof IntegrationKeyEventDetail>;

/** Detail of webhook subscription events. */
export const WebhookEventDetail = EventEnvelope.extend({
  subscriptionId: z.string(),
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
  reason: z.string().optional(),
});
export type WebhookEventDetail = z.infer<typeof WebhookEventDetail>;

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

/** Detail of CI events; `facts.importId` marks a change made by a bulk import. */
export const CiEventDetail = EventEnvelope.extend({
  ciId: z.string(),
  class: z.string(),
  name: z.string(),
  status: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type CiEventDetail = z.infer<typeof CiEventDetail>;

/** Detail of relationship events, in the stored direction: the dependent —type→ the dependency. */
export const CiRelationshipEventDetail = EventEnvelope.extend({
  change: z.enum(['added', 'removed']),
  type: z.string().describe('depends_on, runs_on, contains or connects_to'),
  dependentId: z.string(),
  dependencyId: z.string(),
  version: z.number().int().describe('1 when added; the edge is removed whole'),
});
export type CiRelationshipEventDetail = z.infer<typeof CiRelationshipEventDetail>;

/** Detail of a bulk import: one event per import request, with its counts (records are not announced one by one). */
export const CiImportEventDetail = EventEnvelope.extend({
  importId: z.string(),
  version: z.number().int(),
  lines: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  relationshipsAdded: z.number().int(),
});
export type CiImportEventDetail = z.infer<typeof CiImportEventDetail>;

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

/** Detail of continuity plan events. */
export const ContinuityPlanEventDetail = EventEnvelope.extend({
  planId: z.string(),
  serviceId: z.string(),
  version: z.number().int(),
  status: z.enum(['current', 'retest_required']),
  nextTestDue: z.string().describe('ISO-8601 UTC'),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()).describe('ContinuityPlanRetestRequired: changeId, changeNumber, changeType, risk'),
});
export type ContinuityPlanEventDetail = z.infer<typeof ContinuityPlanEventDetail>;

/** Detail of continuity test events (actor `continuity-test` once the workflow runs). */
export const ContinuityTestEventDetail = EventEnvelope.extend({
  testId: z.string(),
  planId: z.string(),
  serviceId: z.string(),
  version: z.number().int(),
  status: z.enum(['requested', 'running', 'passed', 'failed']),
  kind: z.enum(['tabletop', 'live', 'combined']),
  trigger: z.enum(['on_demand', 'schedule']),
  recoveryMinutes: z.number().nullable(),
  rtoMinutes: z.number(),
  dataLossMinutes: z.number().nullable().describe('null when no step reported a recovery point'),
  rpoMinutes: z.number(),
  failureReasons: z.array(z.string()),
  improvementItemId: z.string().nullable(),
  problemId: z.string().nullable(),
  stepId: z.string().nullable().describe('ContinuityStepConfirmationRequested: the manual step waiting for a person'),
});
export type ContinuityTestEventDetail = z.infer<typeof ContinuityTestEventDetail>;

/** Detail of improvement item and problem events: the record and what opened it. */
export const ActionRecordEventDetail = EventEnvelope.extend({
  recordId: z.string(),
  number: z.string().describe('IMP0001001 or PRB0001001'),
  version: z.number().int(),
  title: z.string(),
  serviceId: z.string(),
  sourceTestId: z.string().describe('The continuity test whose failure opened it'),
  owner: z.string().nullable().describe('Improvement items: who closes the gap'),
  deadline: z.string().nullable().describe('Improvement items: ISO-8601 UTC'),
});
export type ActionRecordEventDetail = z.infer<typeof ActionRecordEventDetail>;

/** Every detail-type, its source and its schema. */
export const EVENT_CATALOGUE = {
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
  AlertPolicyUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's alert policy (auto-resolve, flap window, severity mapping) changed.",
  },
  SlaDefinitionUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's SLA definition (targets, business calendar, pause rules, warning thresholds) changed.",
  },
  EscalationPolicyUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's escalation policy (levels, triggers, targets, quiet hours) changed.",
  },
  IntegrationKeyCreated: { source: 'itsm.tenants', schema: IntegrationKeyEventDetail, description: 'A monitoring integration key was created.' },
  IntegrationKeyRevoked: { source: 'itsm.tenants', schema: IntegrationKeyEventDetail, description: 'A monitoring integration key was revoked.' },
  WebhookSubscriptionCreated: { source: 'itsm.webhooks', schema: WebhookEventDetail, description: 'An outbound webhook subscription was created.' },
  WebhookSubscriptionUpdated: {
    source: 'itsm.webhooks',
    schema: WebhookEventDetail,
    description: 'Its URL, filter, name or state changed (re-enabling included).',
  },
  WebhookSecretRotated: { source: 'itsm.webhooks', schema: WebhookEventDetail, description: 'A new signing secret; the previous one signs too for 24 h.' },
  WebhookSubscriptionDeleted: { source: 'itsm.webhooks', schema: WebhookEventDetail, description: 'The subscription was deleted.' },
  WebhookSubscriptionDisabled: {
    source: 'itsm.webhooks',
    schema: WebhookEventDetail,
    description: 'Disabled after a delivery failed every attempt (`reason`); re-enable it with PATCH.',
  },
  SlaWarning: {
    source: 'itsm.sla',
    schema: SlaEventDetail,
    description: 'An SLA clock reached a warning threshold (`threshold`, e.g. 0.75 of the target).',
  },
  SlaBreached: { source: 'itsm.sla', schema: SlaEventDetail, description: 'An SLA clock reached its target: the response or resolution is late.' },
  IncidentEscalated: {
    source: 'itsm.incidents',
    schema: IncidentEventDetail,
    description:
      'An escalation level was reached (`facts.level`, `facts.kind`): functional reassigns the incident (`changes`), hierarchical notifies `facts.notifyRoles` / `facts.notifyUsers`.',
  },
  CiCreated: { source: 'itsm.cmdb', schema: CiEventDetail, description: 'A configuration item was recorded.' },
  CiUpdated: { source: 'itsm.cmdb', schema: CiEventDetail, description: 'Attributes of a configuration item changed (`changes`, one per attribute).' },
  CiRetired: { source: 'itsm.cmdb', schema: CiEventDetail, description: 'A configuration item was retired; it keeps its history and relationships.' },
  CiRelationshipChanged: {
    source: 'itsm.cmdb',
    schema: CiRelationshipEventDetail,
    description: 'A relationship between two CIs was added or removed (stored direction: dependent → dependency).',
  },
  CisImported: { source: 'itsm.cmdb', schema: CiImportEventDetail, description: 'A bulk import request was applied (counts per outcome).' },
  CmdbSettingsUpdated: {
    source: 'itsm.tenants',
    schema: SettingsEventDetail,
    description: "The tenant's CMDB settings (custom attributes, service code pattern, staleness) changed.",
  },

  ChangeCreated: { source: 'itsm.changes', schema: ChangeEventDetail, description: 'A change request was recorded (status new).' },
  ChangeSubmitted: {
    source: 'itsm.changes',
    schema: ChangeEventDetail,
    description:
      'Submitted: standard changes go straight to the calendar, normal ones to assessment, emergency ones to authorisation (`facts.freezeOverride`).',
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
  ContinuityPlanCreated: {
    source: 'itsm.continuity',
    schema: ContinuityPlanEventDetail,
    description: 'A continuity plan was recorded for a business service; its first test is due now.',
  },
  ContinuityPlanRetestRequired: {
    source: 'itsm.continuity',
    schema: ContinuityPlanEventDetail,
    description: 'A major or emergency change touched the service: the plan must be retested, due now.',
  },
  ContinuityTestRequested: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'A continuity test was requested (on demand or by schedule); the workflow starts it.',
  },
  ContinuityTestStarted: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'The continuity test workflow started running the steps.',
  },
  ContinuityStepConfirmationRequested: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'A manual step waits for a person to confirm it (POST /continuity-tests/{id}/steps/{stepId}/confirm) within 24 h.',
  },
  ContinuityTestPassed: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'Every step passed, recovery within RTO, data loss within RPO.',
  },
  ContinuityTestFailed: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'A step failed or timed out, or recovery exceeded RTO or data loss RPO (`failureReasons`).',
  },
  ContinuityActionPlanOpened: {
    source: 'itsm.continuity',
    schema: ContinuityTestEventDetail,
    description: 'The action plan of a failed test: an improvement item and, when a step exposed a defect, a problem record.',
  },
  ImprovementItemOpened: {
    source: 'itsm.improvement',
    schema: ActionRecordEventDetail,
    description: 'An improvement item was opened (owner, goal, deadline, expected result).',
  },
  ProblemOpened: {
    source: 'itsm.problems',
    schema: ActionRecordEventDetail,
    description: 'A problem record was opened for a defect a continuity test exposed.',
  },
} as const;

export type EventType = keyof typeof EVENT_CATALOGUE;
