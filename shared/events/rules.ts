/**
 * The event rules of the `itsm` bus, declared once: the CDK stack creates
 * an EventBridge rule for each, and the local bus evaluates the same
 * patterns in process, so a rule cannot match differently in the two.
 * @module
 */

import { WATCH_EVENT_PATTERN } from '#shared/domain/sla/sla-arming.js';

/** An EventBridge event pattern (content filtering syntax). */
export type EventPattern = { readonly [field: string]: unknown };

export interface EventRuleSpec {
  /** PascalCase, unique: the CDK construct id and the local rule name. */
  readonly name: string;
  readonly description: string;
  /** Matched against the whole event envelope (`source`, `detail-type`, `detail` …). */
  readonly pattern: EventPattern;
  readonly target: RuleTarget;
}

/**
 * Where a rule sends its events. A `handler` is a Lambda module under
 * `functions/` (its `handler(event)` receives one EventBridge event and
 * throws on failure, so EventBridge retries and then dead-letters it); the
 * local bus invokes it too. A `logGroup` or `topic` target exists in AWS
 * only; locally the match is written to the event log.
 */
export type RuleTarget =
  | {
      readonly handler: string;
      /** The function schedules its own later invocations (EventBridge Scheduler), e.g. retries. */
      readonly schedulesItself?: boolean;
      /** The function starts executions of this workflow (`statemachines/<name>.asl.json`). */
      readonly startsWorkflow?: string;
      /** With `startsWorkflow`: the function also answers the workflow's human tasks and stops its executions. */
      readonly controlsExecutions?: boolean;
      /** With `startsWorkflow`: the function also arms and removes one-off schedules that start it later (EventBridge Scheduler). */
      readonly schedulesWorkflow?: boolean;
      /** Table access the function needs. @default 'write' */
      readonly tableAccess?: 'none' | 'read' | 'write';
      /** How long one invocation may run. @default 30 */
      readonly timeoutSeconds?: number;
      /** Resources beyond the table: the export bucket (write), the user pool (delete users), the tier usage plans (tenant API keys). */
      readonly uses?: readonly ('export-bucket' | 'user-pool' | 'usage-plans')[];
    }
  | { readonly logGroup: string }
  | { readonly topic: string };

/** Every rule on the `itsm` bus. */
export const EVENT_RULES: readonly EventRuleSpec[] = [
  {
    name: 'AllEventsToLogs',
    description: 'Every ITSM event into a CloudWatch log group: searchable with Logs Insights, kept a year.',
    pattern: { source: [{ prefix: 'itsm.' }] },
    target: { logGroup: 'events' },
  },
  {
    name: 'MajorIncidentsToOnCall',
    description: 'New or escalated major / P1 incidents to the on-call SNS topic (subscribe a pager, chat or e-mail).',
    pattern: {
      source: ['itsm.incidents'],
      'detail-type': ['IncidentCreated', 'IncidentUpdated', 'IncidentReopened'],
      detail: { $or: [{ majorIncident: [true] }, { priority: [1] }] },
    },
    target: { topic: 'major-incidents' },
  },
  {
    name: 'WebhookFanOut',
    description: "Every ITSM event to the webhook dispatcher, which sends it to the tenant's subscriptions whose own pattern matches.",
    pattern: { source: [{ prefix: 'itsm.' }] },
    target: { handler: 'webhooks/dispatch-webhooks', schedulesItself: true },
  },
  {
    name: 'EscalationsToNotify',
    description: 'Escalations (IncidentEscalated: who to notify, which level) to the escalations SNS topic: subscribe the pager, chat or e-mail of managers.',
    pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentEscalated'] },
    target: { topic: 'escalations' },
  },
  {
    name: 'ArmSlaEscalation',
    description:
      "Arms an incident's one-off SLA escalation schedule (next threshold or step) on creation and on each change that can move it; removes it once resolved or cancelled; starts the workflow at once when something is due already.",
    pattern: WATCH_EVENT_PATTERN,
    target: { handler: 'sla/arm-escalation', startsWorkflow: 'incident-escalation', schedulesWorkflow: true, tableAccess: 'read' },
  },
  {
    name: 'RearmOnPolicyChange',
    description: 'A saved SLA or escalation policy re-arms the escalation schedule of every open incident of the tenant (or starts its workflow when due now).',
    pattern: { source: ['itsm.tenants'], 'detail-type': ['SlaDefinitionUpdated', 'EscalationPolicyUpdated'] },
    // A large tenant has many open incidents: each costs a few calls, ten at a time.
    target: { handler: 'sla/rearm-open-incidents', startsWorkflow: 'incident-escalation', schedulesWorkflow: true, tableAccess: 'read', timeoutSeconds: 900 },
  },
  {
    name: 'ChangeWorkflow',
    description: 'Change events that start, answer or stop the change approval workflow (functions/changes/advance-change-workflow).',
    pattern: {
      source: ['itsm.changes'],
      'detail-type': [
        'ChangeSubmitted',
        'ChangeAssessed',
        'ChangeApprovalRecorded',
        'ChangeApproved',
        'ChangeRejected',
        'ChangeImplemented',
        'ChangeCancelled',
      ],
    },
    target: { handler: 'changes/advance-change-workflow', startsWorkflow: 'change-approval', controlsExecutions: true, tableAccess: 'read' },
  },
  {
    name: 'ReleaseCiVersions',
    description: 'A successful release writes the version each of its CIs now runs to the CMDB (functions/changes/apply-release-ci-versions).',
    pattern: { source: ['itsm.releases'], 'detail-type': ['ReleaseCompleted'], detail: { facts: { result: ['success'] } } },
    target: { handler: 'changes/apply-release-ci-versions' },
  },
  {
    name: 'StartContinuityTest',
    description: 'Starts the continuity-test workflow for each requested test (on demand or scheduled).',
    pattern: { source: ['itsm.continuity'], 'detail-type': ['ContinuityTestRequested'] },
    target: { handler: 'continuity/start-test-workflow', startsWorkflow: 'continuity-test', tableAccess: 'none' },
  },
  {
    name: 'ScheduleContinuityTests',
    description: "After a passed continuity test, schedules the plan's next test at its due date (a one-off schedule, re-created after each pass).",
    pattern: { source: ['itsm.continuity'], 'detail-type': ['ContinuityTestPassed'] },
    target: { handler: 'continuity/schedule-plan-test', schedulesItself: true, tableAccess: 'write' },
  },
  {
    name: 'RequestWorkflow',
    description:
      'Request events that start the service request workflow (on submission) or answer the step it waits on: an approval level, a stage of tasks, the confirmation, the callback (functions/requests/advance-request-workflow).',
    pattern: {
      source: ['itsm.requests'],
      'detail-type': [
        'RequestSubmitted',
        'RequestApprovalRecorded',
        'RequestApproved',
        'RequestRejected',
        'RequestTaskCompleted',
        'RequestFailed',
        'RequestClosed',
        'RequestCancelled',
        'RequestCallbackRecorded',
      ],
    },
    target: { handler: 'requests/advance-request-workflow', startsWorkflow: 'service-request', controlsExecutions: true, tableAccess: 'read' },
  },
  {
    name: 'WatchRequestTargets',
    description:
      "Arms a request's one-off target watch (functions/requests/watch-request-targets) when a due time starts or moves: the response target on submission, the fulfilment target on approval, resume and reopening; the watch announces a missed target.",
    pattern: { source: ['itsm.requests'], 'detail-type': ['RequestSubmitted', 'RequestApproved', 'RequestResumed', 'RequestReopened'] },
    target: { handler: 'requests/watch-request-targets', schedulesItself: true, tableAccess: 'write' },
  },
  {
    name: 'RequireContinuityRetest',
    description: 'A major (high-risk) or emergency change implemented on business services: their continuity plans must be retested, due now.',
    pattern: {
      source: ['itsm.changes'],
      'detail-type': ['ChangeImplemented'],
      detail: { $or: [{ type: ['emergency'] }, { risk: ['high'] }] },
    },
    target: { handler: 'continuity/require-retest' },
  },
  {
    name: 'TenantExportWorker',
    description:
      "Runs an export a bounded batch at a time: each batch's saved progress (TenantExportProgressed) triggers the next, until TenantExportCompleted.",
    pattern: { source: ['itsm.tenants'], 'detail-type': ['TenantExportRequested', 'TenantExportProgressed'] },
    target: { handler: 'tenants/run-export', timeoutSeconds: 300, uses: ['export-bucket'] },
  },
  {
    name: 'TenantUsageKeys',
    description:
      "Keeps each tenant's API Gateway key in the usage plan of its tier: created with the tenant, moved on a tier change, assigned again on resume, removed when the deletion starts (tenants/sync-usage-key; converges to the tenant record, so a retry or a late event is harmless).",
    pattern: {
      source: ['itsm.tenants'],
      'detail-type': ['TenantCreated', 'TenantTierChanged', 'TenantResumed', 'TenantDeletionStarted', 'TenantDeleted'],
    },
    target: { handler: 'tenants/sync-usage-key', tableAccess: 'read', uses: ['usage-plans'] },
  },
  {
    name: 'TenantDeletionWorker',
    description:
      "Deletes a tenant's items a bounded batch at a time: each batch's saved progress (TenantDeletionProgressed) triggers the next, until TenantDeleted.",
    pattern: { source: ['itsm.tenants'], 'detail-type': ['TenantDeletionStarted', 'TenantDeletionProgressed'] },
    target: { handler: 'tenants/run-deletion', timeoutSeconds: 300, uses: ['user-pool'] },
  },
  {
    name: 'DetectIncidentTrends',
    description:
      'Each new incident on a CI runs trend detection: N incidents within the window on one CI, or on CIs sharing a dependency in the CMDB graph, propose a problem (functions/problems/detect-incident-trend).',
    // Only incidents raised on a CI: no trend to detect without one, so the others cost no invocation and no read.
    pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentCreated'], detail: { changes: { field: ['ciId'] } } },
    target: { handler: 'problems/detect-incident-trend' },
  },
  {
    name: 'IndexKnowledge',
    description:
      'Article and known-error events keep the knowledge search index in step (published revisions and active known errors only) and count publications per month (functions/knowledge/index-knowledge).',
    // Detail-types are unique across sources: the two lists together say exactly the six events.
    pattern: {
      source: ['itsm.knowledge', 'itsm.problems'],
      'detail-type': ['ArticlePublished', 'ArticleRetired', 'KnownErrorPublished', 'ProblemResolved', 'ProblemClosed', 'ProblemCancelled'],
    },
    target: { handler: 'knowledge/index-knowledge' },
  },
  {
    name: 'RecordKnowledgeUse',
    description:
      'Resolved incidents count towards knowledge utilisation: resolved tickets, and those resolved with an article or known error (functions/knowledge/record-knowledge-use).',
    pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentResolved'] },
    target: { handler: 'knowledge/record-knowledge-use' },
  },
];

/**
 * Where a function that schedules its own later invocations finds its own
 * ARN: `continuity/schedule-plan-test` → `CONTINUITY_SCHEDULE_PLAN_TEST_FUNCTION_ARN`,
 * set by the CDK stack (and by the local runtime to the local ARN).
 */
export function functionArnVariable(handler: string): string {
  return `${handler.replace(/[/-]/g, '_').toUpperCase()}_FUNCTION_ARN`;
}
