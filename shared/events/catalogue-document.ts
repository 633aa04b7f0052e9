/**
 * The event catalogue as a document for consumers: per detail-type its
 * source, description, the JSON Schema of its detail (from the zod schema
 * the producer validates with) and a sample event as EventBridge delivers
 * it. Served at `GET /events/catalogue` and embedded in the OpenAPI
 * document as webhooks.
 * @module
 */
import * as z from 'zod';
import { tenantEventSamples } from './catalogue/tenant-samples.js';
import {
  ActionRecordEventDetail,
  ArticleEventDetail,
  CatalogueItemEventDetail,
  ChangeEventDetail,
  CiEventDetail,
  CiImportEventDetail,
  CiRelationshipEventDetail,
  ContinuityPlanEventDetail,
  ContinuityTestEventDetail,
  EVENT_CATALOGUE,
  type EventType,
  GroupEventDetail,
  IncidentEventDetail,
  IntegrationKeyEventDetail,
  ProblemEventDetail,
  ReleaseEventDetail,
  RequestEventDetail,
  SettingsEventDetail,
  SlaEventDetail,
  WebhookEventDetail,
} from './catalogue.js';

/** The status a request is in right after each event (samples only). */
const REQUEST_STATUS_AFTER: Readonly<Record<string, string>> = {
  RequestSubmitted: 'awaiting_approval',
  RequestApprovalRecorded: 'awaiting_approval',
  RequestApprovalEscalated: 'awaiting_approval',
  RequestRejected: 'rejected',
  RequestFulfilled: 'fulfilled',
  RequestFailed: 'failed',
  RequestAwaitingRequester: 'awaiting_requester',
  RequestClosed: 'closed',
  RequestCancelled: 'cancelled',
  RequestCallbackDue: 'closed',
  RequestCallbackRecorded: 'closed',
  RequestResponseTargetBreached: 'awaiting_approval',
};

/** Facts of the request samples that carry some beyond the task's. */
const REQUEST_SAMPLE_FACTS: Readonly<Record<string, Record<string, unknown>>> = {
  RequestResponseTargetBreached: { responseDueAt: '2026-11-22T09:40:00.000Z' },
  RequestFulfilmentTargetBreached: { fulfilmentDueAt: '2026-11-22T09:40:00.000Z', stage: 2 },
};

const envelope = {
  eventId: '01KAZ9T4X8M3Q2W7E5R1Y6U0PQ',
  tenantId: 'acme',
  occurredAt: '2026-11-22T09:41:07.120Z',
  actor: { userId: 'acme-agent', roles: ['agent'] },
};

/** One sample detail per detail schema; the detail-type adjusts it where it matters. */
const SAMPLES = new Map<z.ZodType, (type: EventType) => Record<string, unknown>>([
  ...tenantEventSamples(envelope),
  [
    IncidentEventDetail,
    (type) => ({
      ...envelope,
      incidentId: '01KAZ9R2B6N1V8C4X7Z3L5K9JH',
      number: 'INC0001004',
      version: type === 'IncidentCreated' ? 1 : 5,
      status: INCIDENT_STATUS_AFTER[type] ?? 'in_progress',
      priority: 2,
      assignmentGroup: type === 'IncidentCreated' ? null : 'network-ops',
      assigneeId: null,
      majorIncident: false,
      changes:
        type === 'IncidentCreated'
          ? [{ field: 'status', from: null, to: 'new' }]
          : [{ field: 'status', from: 'in_progress', to: INCIDENT_STATUS_AFTER[type] ?? 'in_progress' }],
      facts: type === 'IncidentAssigned' ? { dispatched: true, returnedDispatch: false, previousGroup: null } : {},
    }),
  ],
  [
    SettingsEventDetail,
    () => ({
      ...envelope,
      actor: { userId: 'acme-admin', roles: ['tenant-admin'] },
      setting: 'priorityMatrix',
      version: 2,
      changes: [{ field: 'matrix', from: [[1]], to: [[1]] }],
    }),
  ],
  [
    IntegrationKeyEventDetail,
    () => ({ ...envelope, actor: { userId: 'acme-admin', roles: ['tenant-admin'] }, keyId: '01KAZA0Q5C3V9N7B1X4M8K2J6H', name: 'Prometheus', version: 1 }),
  ],
  [
    GroupEventDetail,
    (type) => ({
      ...envelope,
      actor: { userId: 'acme-admin', roles: ['tenant-admin'] },
      code: 'network-ops',
      name: 'Network operations',
      tier: 'front-line',
      managerId: 'acme-manager',
      status: type === 'GroupRetired' ? 'retired' : 'active',
      version: type === 'GroupCreated' ? 1 : 2,
      changes:
        type === 'GroupCreated'
          ? [{ field: 'name', from: null, to: 'Network operations' }]
          : type === 'GroupRetired'
            ? [{ field: 'status', from: 'active', to: 'retired' }]
            : [{ field: 'members', from: ['acme-agent'], to: ['acme-agent', 'acme-agent-2'] }],
    }),
  ],
  [
    WebhookEventDetail,
    (type) => ({
      ...envelope,
      actor: {
        userId: type === 'WebhookSubscriptionDisabled' ? 'webhook-dispatcher' : 'acme-admin',
        roles: type === 'WebhookSubscriptionDisabled' ? [] : ['tenant-admin'],
      },
      subscriptionId: '01KAZA3E7T1R5W9Q2Y6U8I4O0P',
      name: 'ops chat',
      url: 'https://hooks.example.com/itsm',
      enabled: type !== 'WebhookSubscriptionDisabled',
      version: 3,
      changes: type === 'WebhookSubscriptionDisabled' ? [{ field: 'enabled', from: true, to: false }] : [],
      ...(type === 'WebhookSubscriptionDisabled' ? { reason: 'Delivery 01KAZB… failed 5 times: HTTP 503' } : {}),
    }),
  ],
  [
    SlaEventDetail,
    (type) => ({
      ...envelope,
      actor: { userId: 'sla-engine', roles: [] },
      incidentId: '01KAZ9R2B6N1V8C4X7Z3L5K9JH',
      number: 'INC0001004',
      version: 3,
      metric: 'resolution',
      threshold: type === 'SlaBreached' ? 1 : 0.75,
      priority: 2,
      dueAt: type === 'SlaBreached' ? '2026-11-22T09:41:00.000Z' : '2026-11-22T11:41:00.000Z',
      reachedAt: '2026-11-22T09:41:00.000Z',
    }),
  ],
  [
    CiEventDetail,
    (type) => ({
      ...envelope,
      ciId: '01KAZC1M4V7B2N8X5Q3W9E6R0T',
      class: 'server',
      name: 'db-host-01',
      status: type === 'CiRetired' ? 'retired' : 'in_service',
      version: type === 'CiCreated' ? 1 : 4,
      changes:
        type === 'CiCreated'
          ? [{ field: 'name', from: null, to: 'db-host-01' }]
          : type === 'CiRetired'
            ? [{ field: 'status', from: 'in_service', to: 'retired' }]
            : [{ field: 'attributes.memoryGb', from: 64, to: 128 }],
      facts: {},
    }),
  ],
  [
    CiRelationshipEventDetail,
    () => ({
      ...envelope,
      change: 'added',
      type: 'runs_on',
      dependentId: '01KAZC3P8L2K6J4H9G7F5D1S0A',
      dependencyId: '01KAZC1M4V7B2N8X5Q3W9E6R0T',
      version: 1,
    }),
  ],
  [
    CiImportEventDetail,
    () => ({
      ...envelope,
      importId: '01KAZC5T2Y8U4I6O1P3A7S9D0F',
      version: 1,
      lines: 5000,
      created: 4980,
      updated: 0,
      unchanged: 0,
      invalid: 20,
      relationshipsAdded: 0,
    }),
  ],
  [
    RequestEventDetail,
    (type) => ({
      ...envelope,
      requestId: '01KB2R7M3N5V8C1X4Z6Q9W2E0T',
      number: 'REQ0001012',
      version: 4,
      itemId: '01KB2Q1A5S8D2F6G9H3J7K4L0M',
      itemCode: 'SRV-0001001',
      itemVersion: 3,
      requesterId: 'acme-requester',
      status: REQUEST_STATUS_AFTER[type] ?? 'in_fulfilment',
      changes: [],
      facts: type.startsWith('RequestTask') ? { taskNumber: 'TASK0001012-1', group: 'identity-ops', stage: 1 } : (REQUEST_SAMPLE_FACTS[type] ?? {}),
    }),
  ],
  [
    CatalogueItemEventDetail,
    (type) => ({
      ...envelope,
      actor: { userId: 'acme-manager', roles: ['manager'] },
      itemId: '01KB2Q1A5S8D2F6G9H3J7K4L0M',
      code: 'SRV-0001001',
      version: 5,
      status: type === 'CatalogueItemCreated' ? 'draft' : type === 'CatalogueItemRetired' ? 'retired' : 'published',
      changes: [],
      facts: type === 'CatalogueItemPublished' ? { itemVersion: 3, name: 'New starter' } : {},
    }),
  ],
  [
    ChangeEventDetail,
    (type) => ({
      ...envelope,
      actor: { userId: 'acme-manager', roles: ['manager'] },
      changeId: '01KB0C8N2V6X4Z1Q3W5E7R9T0Y',
      number: 'CHG0001007',
      version: 6,
      type: 'normal',
      status: CHANGE_STATUS_AFTER[type] ?? 'authorise',
      risk: 'medium',
      continuityImpact: false,
      ciIds: ['db-01'],
      serviceIds: ['payments'],
      plannedStart: '2026-11-28T22:00:00.000Z',
      plannedEnd: '2026-11-28T23:30:00.000Z',
      changes:
        type === 'ChangeApproved' || type === 'ChangeApprovalRecorded'
          ? []
          : [{ field: 'status', from: 'authorise', to: CHANGE_STATUS_AFTER[type] ?? 'authorise' }],
      facts:
        type === 'ChangeApprovalRecorded' || type === 'ChangeApproved'
          ? {
              level: 2,
              levelName: 'Change advisory board',
              decision: 'approve',
              approverId: 'acme-manager',
              delegated: false,
              outcome: type === 'ChangeApproved' ? 'approved' : 'recorded',
            }
          : {},
    }),
  ],
  [
    ReleaseEventDetail,
    (type) => ({
      ...envelope,
      actor: { userId: 'acme-manager', roles: ['manager'] },
      releaseId: '01KB0D1A3S5D7F9G2H4J6K8L0Z',
      number: 'REL0001002',
      version: 3,
      status: type === 'ReleaseCreated' ? 'planned' : type === 'ReleaseDeployed' ? 'pilot' : 'completed',
      changeIds: ['01KB0C8N2V6X4Z1Q3W5E7R9T0Y'],
      changes: [],
      facts: type === 'ReleaseCompleted' ? { result: 'success' } : type === 'ReleaseDeployed' ? { stage: 'pilot' } : {},
    }),
  ],
  [
    ContinuityPlanEventDetail,
    (type) => ({
      ...envelope,
      actor: type === 'ContinuityPlanCreated' ? { userId: 'acme-manager', roles: ['manager'] } : { userId: 'continuity-changes', roles: ['manager'] },
      planId: '01KB0A1C2D3E4F5G6H7J8K9M0N',
      serviceId: '01KAZC1M4V7B2N8X5Q3W9E6R0T',
      version: type === 'ContinuityPlanCreated' ? 1 : 4,
      status: type === 'ContinuityPlanCreated' ? 'current' : 'retest_required',
      nextTestDue: '2026-11-22T09:41:07.120Z',
      changes: type === 'ContinuityPlanCreated' ? [] : [{ field: 'status', from: 'current', to: 'retest_required' }],
      facts:
        type === 'ContinuityPlanCreated' ? {} : { changeId: '01KB0B2C3D4E5F6G7H8J9K0M1N', changeNumber: 'CHG0001007', changeType: 'emergency', risk: 'high' },
    }),
  ],
  [
    ContinuityTestEventDetail,
    (type) => {
      const failed = type === 'ContinuityTestFailed' || type === 'ContinuityActionPlanOpened';
      const ended = failed || type === 'ContinuityTestPassed';
      return {
        ...envelope,
        actor: { userId: 'continuity-test', roles: ['manager'] },
        testId: '01KB0C3D4E5F6G7H8J9K0M1N2P',
        planId: '01KB0A1C2D3E4F5G6H7J8K9M0N',
        serviceId: '01KAZC1M4V7B2N8X5Q3W9E6R0T',
        version: { ContinuityTestRequested: 1, ContinuityTestStarted: 2 }[type as string] ?? (type === 'ContinuityActionPlanOpened' ? 4 : 3),
        status: ended ? (failed ? 'failed' : 'passed') : type === 'ContinuityTestRequested' ? 'requested' : 'running',
        kind: 'live',
        trigger: 'schedule',
        recoveryMinutes: ended ? (failed ? 312.5 : 41.25) : null,
        rtoMinutes: 240,
        dataLossMinutes: ended ? 12 : null,
        rpoMinutes: 60,
        failureReasons: failed ? ['step db-health failed: HTTP 503, expected 200', 'recovery took 312.5 min, RTO is 240 min'] : [],
        improvementItemId: type === 'ContinuityActionPlanOpened' ? '01KB0D4E5F6G7H8J9K0M1N2P3Q' : null,
        problemId: type === 'ContinuityActionPlanOpened' ? '01KB0E5F6G7H8J9K0M1N2P3Q4R' : null,
        stepId: type === 'ContinuityStepConfirmationRequested' ? 'restore-db' : null,
      };
    },
  ],
  [
    ActionRecordEventDetail,
    () => ({
      ...envelope,
      actor: { userId: 'continuity-test', roles: ['manager'] },
      recordId: '01KB0D4E5F6G7H8J9K0M1N2P3Q',
      number: 'IMP0001001',
      version: 1,
      title: 'Continuity test of "Payments DR" failed',
      serviceId: '01KAZC1M4V7B2N8X5Q3W9E6R0T',
      sourceTestId: '01KB0C3D4E5F6G7H8J9K0M1N2P',
      owner: 'dr-lead@acme.example',
      deadline: '2026-12-22T09:41:07.120Z',
    }),
  ],
  [
    ProblemEventDetail,
    (type) => ({
      ...envelope,
      actor: type === 'ProblemProposed' ? { userId: 'trend-detection', roles: ['agent'] } : envelope.actor,
      problemId: '01KB0E5F6G7H8J9K0M1N2P3Q4R',
      number: 'PRB0001002',
      version: PROBLEM_VERSION[type as string] ?? 4,
      title: '5 incidents in 24 h on CIs that run on esx-host-07',
      status: PROBLEM_STATUS_AFTER[type as string] ?? 'root_cause_analysis',
      priority: type === 'ProblemProposed' || type === 'ProblemCreated' ? null : 2,
      incidentIds: type === 'ProblemProposed' ? ['01KAZ9R2B6N1V8C4X7Z3L5K9JH', '01KAZ9R9C1N2V3C4X5Z6L7K8JH'] : [],
      changes: [{ field: 'status', from: null, to: PROBLEM_STATUS_AFTER[type as string] ?? 'root_cause_analysis' }],
      facts:
        type === 'ProblemProposed'
          ? { source: 'trend', clusterCiId: 'esx-host-07', sharedDependency: true }
          : type === 'KnownErrorPublished'
            ? { revision: 1 }
            : {},
    }),
  ],
  [
    ArticleEventDetail,
    (type) => ({
      ...envelope,
      actor: type === 'ArticlePublished' ? { userId: 'acme-kb-owner', roles: ['manager'] } : envelope.actor,
      articleId: '01KB1A2B3C4D5E6F7G8H9J0K1M',
      number: 'KB0001003',
      version: type === 'ArticleCreated' ? 1 : 3,
      status: ARTICLE_STATUS_AFTER[type as string] ?? 'draft',
      revision: 1,
      title: 'VPN 连接每五分钟断开一次',
      audience: ['requesters', 'agents'],
      changes: [{ field: 'status', from: 'in_review', to: ARTICLE_STATUS_AFTER[type as string] ?? 'draft' }],
      facts: type === 'ArticlePublished' ? { revision: 1, firstPublication: true, complete: true } : {},
    }),
  ],
]);

const ARTICLE_STATUS_AFTER: Record<string, string> = {
  ArticleCreated: 'draft',
  ArticleSubmitted: 'in_review',
  ArticlePublished: 'published',
  ArticleRetired: 'retired',
};

const PROBLEM_STATUS_AFTER: Record<string, string> = {
  ProblemCreated: 'new',
  ProblemProposed: 'proposed',
  ProblemAccepted: 'new',
  ProblemDismissed: 'dismissed',
  ProblemAssessed: 'assessed',
  KnownErrorPublished: 'known_error',
  ProblemResolved: 'resolved',
  ProblemClosed: 'closed',
  ProblemCancelled: 'cancelled',
};
const PROBLEM_VERSION: Record<string, number> = { ProblemCreated: 1, ProblemProposed: 1, ProblemAccepted: 2 };

const CHANGE_STATUS_AFTER: Partial<Record<EventType, string>> = {
  ChangeCreated: 'new',
  ChangeSubmitted: 'assess',
  ChangeAssessed: 'authorise',
  ChangeRejected: 'rejected',
  ChangeScheduled: 'scheduled',
  ChangeImplementationStarted: 'implement',
  ChangeImplemented: 'review',
  ChangeFailed: 'review',
  ChangeClosed: 'closed',
  ChangeCancelled: 'cancelled',
};

const INCIDENT_STATUS_AFTER: Partial<Record<EventType, string>> = {
  IncidentCreated: 'new',
  IncidentAssigned: 'assigned',
  IncidentWorkStarted: 'in_progress',
  IncidentPutOnHold: 'on_hold',
  IncidentResolved: 'resolved',
  IncidentClosed: 'closed',
  IncidentReopened: 'in_progress',
  IncidentCancelled: 'cancelled',
};

/** A sample of `type` as EventBridge delivers it to targets (and webhooks). */
export function sampleEvent(type: EventType) {
  const entry = EVENT_CATALOGUE[type];
  const detail = SAMPLES.get(entry.schema)?.(type);
  if (!detail) throw new Error(`No sample for the detail schema of ${type}`);
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': type,
    source: entry.source,
    account: '111122223333',
    time: detail.occurredAt,
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

/** The whole catalogue, JSON-Schema'd and sampled. */
export function catalogueDocument() {
  return (Object.keys(EVENT_CATALOGUE) as EventType[]).map((type) => {
    const entry = EVENT_CATALOGUE[type];
    return {
      detailType: type,
      source: entry.source,
      description: entry.description,
      detailSchema: z.toJSONSchema(entry.schema, { target: 'draft-2020-12', unrepresentable: 'any' }),
      sample: sampleEvent(type),
    };
  });
}
