/**
 * Key builders: the only place that knows how keys are spelt. Every key of
 * tenant data starts with `TENANT#<tenantId>#`, so an IAM
 * `dynamodb:LeadingKeys` condition can confine a tenant's credentials.
 * @module
 */
import { createHash } from 'node:crypto';
import { isSafeId } from '../domain/identifiers.js';
import type { Incident } from '../domain/incident.js';

export interface PrimaryKey {
  readonly PK: string;
  readonly SK: string;
}

/** Ids that end up inside keys may not contain the `#` separator. */

function segment(value: string): string {
  if (!isSafeId(value)) throw new Error(`Unsafe key segment: ${JSON.stringify(value)}`);
  return value;
}

/** `TENANT#<id>#`: the leading key of every tenant item. */
export function tenantPrefix(tenantId: string): string {
  return `TENANT#${segment(tenantId)}#`;
}

export function incidentKey(tenantId: string, incidentId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}INCIDENT#${segment(incidentId)}`, SK: 'INCIDENT' };
}

/** Audit entries live in their record's partition: its history is one Query. */
export const AUDIT_PREFIX = 'AUDIT#';
export function auditKey(recordPk: string, auditId: string): PrimaryKey {
  return { PK: recordPk, SK: `${AUDIT_PREFIX}${segment(auditId)}` };
}

export const NOTE_PREFIX = 'NOTE#';
export function noteKey(tenantId: string, incidentId: string, noteId: string): PrimaryKey {
  return { PK: incidentKey(tenantId, incidentId).PK, SK: `${NOTE_PREFIX}${segment(noteId)}` };
}

/** Per-tenant incident settings: the number sequence and the priority matrix, read in one call. */
export function incidentSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'INCIDENTS' };
}

/** Scoped to the user as well as the tenant, so two callers cannot replay each other's responses. */
export function idempotencyKey(tenantId: string, userId: string, key: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}IDEMPOTENCY#${segment(userId)}#${segment(key)}`, SK: 'IDEMPOTENCY' };
}

export function outboxKey(tenantId: string, eventId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}OUTBOX#${segment(eventId)}`, SK: 'EVENT' };
}

/** The dimensions an incident queue can be listed by. */
export const INCIDENT_QUEUES = ['all', 'status', 'group', 'assignee', 'requester', 'ci'] as const;
export type IncidentQueue = (typeof INCIDENT_QUEUES)[number];

const QUEUE_INDEX: Record<IncidentQueue, { index: string; segment: string | null }> = {
  all: { index: 'GSI1', segment: null },
  status: { index: 'GSI2', segment: 'STATUS' },
  group: { index: 'GSI3', segment: 'GROUP' },
  assignee: { index: 'GSI4', segment: 'ASSIGNEE' },
  requester: { index: 'GSI5', segment: 'REQUESTER' },
  ci: { index: 'GSI6', segment: 'CI' },
};

/** Index and partition value of one queue, e.g. the `in_progress` status queue. */
export function incidentQueueKey(tenantId: string, queue: IncidentQueue, value?: string): { indexName: string; partitionKey: string } {
  const { index, segment: name } = QUEUE_INDEX[queue];
  const base = `${tenantPrefix(tenantId)}INCIDENTS`;
  if (name === null) return { indexName: index, partitionKey: base };
  if (value === undefined) throw new Error(`Queue '${queue}' needs a value.`);
  return { indexName: index, partitionKey: `${base}#${name}#${segment(value)}` };
}

/** Queue order: priority first (P1 on top), then oldest first; the id keeps it stable. */
export function queueSortKey(priority: number, createdAt: string, id: string): string {
  return `P${priority}#${createdAt}#${id}`;
}

/** Prefix of `queueSortKey` that narrows a queue to one priority. */
export function queuePriorityPrefix(priority: number): string {
  return `P${priority}#`;
}

export function numberLookupKey(tenantId: string, number: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI7', partitionKey: `${tenantPrefix(tenantId)}NUMBER#${segment(number)}` };
}

/**
 * Index attributes of an incident. Group, assignee and CI keys are sparse:
 * an incident appears in those queues only once it has a value.
 */
export function incidentIndexKeys(incident: Incident): Record<string, string> {
  const t = incident.tenantId;
  const keys: Record<string, string> = {
    QSK: queueSortKey(incident.priority, incident.createdAt, incident.id),
    GSI1PK: incidentQueueKey(t, 'all').partitionKey,
    GSI2PK: incidentQueueKey(t, 'status', incident.status).partitionKey,
    GSI5PK: incidentQueueKey(t, 'requester', incident.requesterId).partitionKey,
    GSI7PK: numberLookupKey(t, incident.number).partitionKey,
  };
  if (incident.assignmentGroup) keys.GSI3PK = incidentQueueKey(t, 'group', incident.assignmentGroup).partitionKey;
  if (incident.assigneeId) keys.GSI4PK = incidentQueueKey(t, 'assignee', incident.assigneeId).partitionKey;
  if (incident.ciId) keys.GSI6PK = incidentQueueKey(t, 'ci', incident.ciId).partitionKey;
  return keys;
}

/** The tenant's alert policy: beside the incident settings, in the tenant's settings partition. */
export function alertPolicyKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'ALERTS' };
}

/** All integration keys of a tenant share a partition: listing them is one Query. */
export function integrationKeysPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}INTEGRATION_KEYS`;
}

/** Sort-key prefix of the keys themselves; their audit entries share the partition. */
export const INTEGRATION_KEY_PREFIX = 'KEY#';
/** One integration key: found by GetItem from the tenant and key id a routing key names. */
export function integrationKeyKey(tenantId: string, keyId: string): PrimaryKey {
  return { PK: integrationKeysPartition(tenantId), SK: `${INTEGRATION_KEY_PREFIX}${segment(keyId)}` };
}

/**
 * One alert record per tenant and dedup key. Dedup keys are the caller's
 * free text (up to 255 characters, alarm ARNs with `/`), so the key holds
 * their SHA-256 (base64url) and the item keeps the original.
 */
export function alertKey(tenantId: string, dedupKey: string): PrimaryKey {
  const digest = createHash('sha256').update(dedupKey).digest('base64url');
  return { PK: `${tenantPrefix(tenantId)}ALERT#${digest}`, SK: 'ALERT' };
}

/** A tenant's webhook subscriptions share one small partition: fan-out reads them with one Query. */
export function webhooksPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}WEBHOOKS`;
}

export const WEBHOOK_PREFIX = 'WEBHOOK#';
export function webhookKey(tenantId: string, subscriptionId: string): PrimaryKey {
  return { PK: webhooksPartition(tenantId), SK: `${WEBHOOK_PREFIX}${segment(subscriptionId)}` };
}

/** Deliveries of one subscription, newest last by ULID. */
export function webhookDeliveriesPartition(tenantId: string, subscriptionId: string): string {
  return `${tenantPrefix(tenantId)}WEBHOOK#${segment(subscriptionId)}#DELIVERIES`;
}

export const DELIVERY_PREFIX = 'DELIVERY#';
export function webhookDeliveryKey(tenantId: string, subscriptionId: string, deliveryId: string): PrimaryKey {
  return { PK: webhookDeliveriesPartition(tenantId, subscriptionId), SK: `${DELIVERY_PREFIX}${segment(deliveryId)}` };
}

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

// ── CMDB ──────────────────────────────────────────────────────────────────

/** A CI's partition holds the CI, its audit trail and both directions of its relationships. */
export function ciKey(tenantId: string, ciId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI#${segment(ciId)}`, SK: 'CI' };
}

/** Sort-key prefixes of a CI's relationship edges: outbound (it depends on), inbound (depends on it). */
export const RELATIONSHIP_PREFIX = { outbound: 'REL#OUT#', inbound: 'REL#IN#' } as const;

/**
 * The two items of one relationship: the outbound edge in the dependent's
 * partition and the inbound edge in the dependency's, so either direction
 * of one CI is one Query.
 */
export function relationshipEdgeKeys(
  tenantId: string,
  relationship: { readonly type: string; readonly dependentId: string; readonly dependencyId: string },
): { outbound: PrimaryKey; inbound: PrimaryKey } {
  const { type, dependentId, dependencyId } = relationship;
  return {
    outbound: { PK: ciKey(tenantId, dependentId).PK, SK: `${RELATIONSHIP_PREFIX.outbound}${segment(type)}#${segment(dependencyId)}` },
    inbound: { PK: ciKey(tenantId, dependencyId).PK, SK: `${RELATIONSHIP_PREFIX.inbound}${segment(type)}#${segment(dependentId)}` },
  };
}

/** GSI1 partitions of the CMDB: every CI, and every relationship (outbound edges only, so each once). */
export function cmdbListKey(tenantId: string, what: 'cis' | 'relationships'): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}${what === 'cis' ? 'CIS' : 'CI_RELATIONSHIPS'}` };
}

/** GSI2 (by class) and GSI3 (by owner group) partitions of CIs. */
export function ciQueueKey(tenantId: string, queue: 'class' | 'ownerGroup', value: string): { indexName: string; partitionKey: string } {
  return queue === 'class'
    ? { indexName: 'GSI2', partitionKey: `${tenantPrefix(tenantId)}CIS#CLASS#${segment(value)}` }
    : { indexName: 'GSI3', partitionKey: `${tenantPrefix(tenantId)}CIS#GROUP#${segment(value)}` };
}

/** Index attributes of a CI: listed by name within its class, tenant-wide, by class and by owner group (sparse). */
export function ciIndexKeys(ci: { tenantId: string; id: string; class: string; name: string; ownerGroup: string | null }): Record<string, string> {
  const keys: Record<string, string> = {
    QSK: `${ci.class}#${ci.name.toLowerCase().slice(0, 100)}#${ci.id}`,
    GSI1PK: cmdbListKey(ci.tenantId, 'cis').partitionKey,
    GSI2PK: ciQueueKey(ci.tenantId, 'class', ci.class).partitionKey,
  };
  if (ci.ownerGroup) keys.GSI3PK = ciQueueKey(ci.tenantId, 'ownerGroup', ci.ownerGroup).partitionKey;
  return keys;
}

/** Claims a business service's code: one item per code, created with the service (unique codes). */
export function serviceCodeKey(tenantId: string, code: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SERVICE_CODE#${segment(code)}`, SK: 'SERVICE_CODE' };
}

/** One bulk import request: its report summary and its audit entry. */
export function ciImportKey(tenantId: string, importId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI_IMPORT#${segment(importId)}`, SK: 'IMPORT' };
}

/** The tenant's CMDB settings (custom attributes, service code pattern, staleness). */
export function cmdbSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'CMDB' };
}

// ── Changes and releases ──────────────────────────────────────────────────

export function changeKey(tenantId: string, changeId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CHANGE#${segment(changeId)}`, SK: 'CHANGE' };
}

/** The dimensions a change list can be read by (GSI1 all, GSI2 status, GSI5 requester, as incidents). */
export const CHANGE_QUEUES = ['all', 'status', 'requester'] as const;
export type ChangeQueue = (typeof CHANGE_QUEUES)[number];

const CHANGE_QUEUE_INDEX: Record<ChangeQueue, { index: string; segment: string | null }> = {
  all: { index: 'GSI1', segment: null },
  status: { index: 'GSI2', segment: 'STATUS' },
  requester: { index: 'GSI5', segment: 'REQUESTER' },
};

export function changeQueueKey(tenantId: string, queue: ChangeQueue, value?: string): { indexName: string; partitionKey: string } {
  const { index, segment: name } = CHANGE_QUEUE_INDEX[queue];
  const base = `${tenantPrefix(tenantId)}CHANGES`;
  if (name === null) return { indexName: index, partitionKey: base };
  if (value === undefined) throw new Error(`Queue '${queue}' needs a value.`);
  return { indexName: index, partitionKey: `${base}#${name}#${segment(value)}` };
}

/** Change lists are in calendar order: planned start, then id (so a time range is a key condition). */
export function changeSortKey(plannedStart: string, id: string): string {
  return `${plannedStart}#${id}`;
}

/** Per-tenant number sequences of changes and releases, in the settings partition. */
export function sequenceKey(tenantId: string, name: 'CHANGES' | 'RELEASES'): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: `SEQ#${name}` };
}

/** A tenant's change settings (approval policies, calendar, risk questionnaire and templates), each versioned on its own. */
export function changeSettingKey(tenantId: string, name: 'CHANGE_APPROVAL' | 'CHANGE_CALENDAR' | 'CHANGE_MODEL'): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: name };
}

export function releaseKey(tenantId: string, releaseId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}RELEASE#${segment(releaseId)}`, SK: 'RELEASE' };
}

/** All releases of a tenant, by planned start (GSI1). */
export function releasesPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}RELEASES`;
}

/**
 * A CI's change-scheduling lock: a revision counter every submission that
 * names the CI bumps in its transaction, conditional on the revision it
 * read before checking conflicts, so two submissions of one CI serialise.
 */
export function ciChangeLockKey(tenantId: string, ciId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CI#${segment(ciId)}#CHANGE_LOCK`, SK: 'LOCK' };
}

// ── Availability and continuity ───────────────────────────────────────────

/** A continuity plan's partition holds the plan and its audit trail. */
export function continuityPlanKey(tenantId: string, planId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CONTINUITY_PLAN#${segment(planId)}`, SK: 'PLAN' };
}

/**
 * GSI1: every plan of a tenant ordered by next test due (the overdue report
 * is one Query with the sort key up to now); GSI6: the plans of one
 * business service (a change on the service finds them).
 */
export function continuityPlanIndexKeys(plan: { tenantId: string; id: string; serviceId: string; nextTestDue: string }): Record<string, string> {
  return {
    QSK: `${plan.nextTestDue}#${plan.id}`,
    GSI1PK: continuityPlanListKey(plan.tenantId).partitionKey,
    GSI6PK: continuityPlansOfServiceKey(plan.tenantId, plan.serviceId).partitionKey,
  };
}

export function continuityPlanListKey(tenantId: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}CONTINUITY_PLANS` };
}

export function continuityPlansOfServiceKey(tenantId: string, serviceId: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI6', partitionKey: `${tenantPrefix(tenantId)}CONTINUITY_PLANS#SERVICE#${segment(serviceId)}` };
}

/** A continuity test's partition holds the test (steps, results, waiting tokens) and its audit trail. */
export function continuityTestKey(tenantId: string, testId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}CONTINUITY_TEST#${segment(testId)}`, SK: 'TEST' };
}

/** GSI1: the tests of one plan, oldest first. */
export function continuityTestsOfPlanKey(tenantId: string, planId: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}CONTINUITY_PLAN#${segment(planId)}#TESTS` };
}

/** A number sequence of its own per record type (`IMP`, `PRB`), in the tenant's settings partition. */
export function numberSequenceKey(tenantId: string, prefix: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: `SEQ#${segment(prefix)}` };
}

export function improvementItemKey(tenantId: string, itemId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}IMPROVEMENT#${segment(itemId)}`, SK: 'IMPROVEMENT' };
}

export function problemKey(tenantId: string, problemId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}PROBLEM#${segment(problemId)}`, SK: 'PROBLEM' };
}

/** GSI1 partitions of improvement items and problems, oldest first. */
export function actionRecordListKey(tenantId: string, what: 'improvement' | 'problem'): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}${what === 'improvement' ? 'IMPROVEMENT_ITEMS' : 'PROBLEMS'}` };
}
