/**
 * Continuity plans and tests in the single table. A plan is listed on GSI1
 * by next test due (the overdue report reads the head of it) and on GSI6
 * by its service (a change finds the plans it touches); a test is listed
 * on GSI1 under its plan. Both index entries carry only a summary map.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay, type RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { queryEachPage, queryPage, querySummaryPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { QUEUE_SORT_KEY, SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { ContinuityPlan, ContinuityTest, PlanChange } from '#shared/domain/continuity/continuity-plan.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { pick } from '#shared/domain/pick.js';
import type { Actor } from '#shared/domain/roles.js';
import type { EventType } from '#shared/events/catalogue.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import {
  continuityPlanIndexKeys,
  continuityPlanKey,
  continuityPlanListKey,
  continuityPlansOfServiceKey,
  continuityTestKey,
  continuityTestsOfPlanKey,
} from './keys.js';

/** What a plan list shows. */
export const PLAN_SUMMARY_FIELDS = [
  'id',
  'name',
  'serviceId',
  'status',
  'rtoMinutes',
  'rpoMinutes',
  'lastTestAt',
  'lastTestOutcome',
  'nextTestDue',
  'version',
] as const;
export type PlanSummary = Pick<ContinuityPlan, (typeof PLAN_SUMMARY_FIELDS)[number]>;

export const TEST_SUMMARY_FIELDS = [
  'id',
  'planId',
  'kind',
  'trigger',
  'status',
  'requestedAt',
  'completedAt',
  'recoveryMinutes',
  'dataLossMinutes',
  'version',
] as const;
export type TestSummary = Pick<ContinuityTest, (typeof TEST_SUMMARY_FIELDS)[number]>;

export function planItem(plan: ContinuityPlan): Record<string, unknown> & PrimaryKey {
  return {
    ...continuityPlanKey(plan.tenantId, plan.id),
    entity: 'ContinuityPlan',
    ...continuityPlanIndexKeys(plan),
    [SUMMARY_ATTRIBUTE]: pick(plan, PLAN_SUMMARY_FIELDS),
    ...plan,
  };
}

function testItem(test: ContinuityTest): Record<string, unknown> & PrimaryKey {
  return {
    ...continuityTestKey(test.tenantId, test.id),
    entity: 'ContinuityTest',
    GSI1PK: continuityTestsOfPlanKey(test.tenantId, test.planId).partitionKey,
    [QUEUE_SORT_KEY]: `${test.requestedAt}#${test.id}`,
    [SUMMARY_ATTRIBUTE]: pick(test, TEST_SUMMARY_FIELDS),
    ...test,
  };
}

type TestEventType = Extract<EventType, `ContinuityTest${string}` | 'ContinuityActionPlanOpened' | 'ContinuityStepConfirmationRequested'>;

export function testEvent(type: TestEventType, test: ContinuityTest, actor: Actor, stepId: string | null = null) {
  return recordEvent(type, test, actor, { testId: test.id, stepId });
}

const plans = recordStore<ContinuityPlan, PlanChange>({
  recordType: 'ContinuityPlan',
  idMember: 'planId',
  key: continuityPlanKey,
  toItem: planItem,
  fromItem: (item) => withoutStorageAttributes<ContinuityPlan>(item),
  recordOf: (change) => change.plan,
});

export function insertPlan(change: PlanChange, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return plans.insert(change, actor, { idempotency });
}

/** Writes a changed plan if it is still at `expectedVersion`. */
export async function savePlan(change: PlanChange, actor: Actor, expectedVersion: number, ifMatch: boolean): Promise<void> {
  await plans.save(change, actor, expectedVersion, ifMatch);
}

export const getPlan = plans.get;

/** A page of the tenant's plans by next test due; `dueBy` keeps only those due by then (the overdue report). */
export async function listPlans(
  tenantId: string,
  request: { limit: number; cursor?: string | undefined; dueBy?: string | undefined },
): Promise<Page<PlanSummary>> {
  const { indexName, partitionKey } = continuityPlanListKey(tenantId);
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: request.dueBy ? 'GSI1PK = :pk AND QSK <= :due' : 'GSI1PK = :pk',
      // `~` sorts after every id character: a plan due exactly at `dueBy` is included.
      ExpressionAttributeValues: { ':pk': partitionKey, ...(request.dueBy ? { ':due': `${request.dueBy}#~` } : {}) },
      Limit: request.limit,
      partition: { attribute: 'GSI1PK', value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as PlanSummary), nextCursor: page.nextCursor };
}

/** Ids of every plan of a business service (one Query on GSI6, usually one page). */
export async function planIdsOfService(tenantId: string, serviceId: string): Promise<string[]> {
  const { indexName, partitionKey } = continuityPlansOfServiceKey(tenantId, serviceId);
  const ids: string[] = [];
  for await (const page of queryEachPage({
    IndexName: indexName,
    KeyConditionExpression: 'GSI6PK = :pk',
    ExpressionAttributeValues: { ':pk': partitionKey },
  })) {
    ids.push(...page.map((item) => (item[SUMMARY_ATTRIBUTE] as PlanSummary).id));
  }
  return ids;
}

/** Records a requested test (event `ContinuityTestRequested`, which starts the workflow). */
export async function insertTest(test: ContinuityTest, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'ContinuityTest',
    recordId: test.id,
    write: { kind: 'create', item: testItem(test) },
    audit: { action: 'request', version: test.version, changes: [], facts: { planId: test.planId, kind: test.kind, trigger: test.trigger } },
    event: testEvent('ContinuityTestRequested', test, actor),
    idempotency,
  });
}

/**
 * Writes a changed test at `expectedVersion` with its event; `planAfter`
 * commits the plan's new state in the same transaction (a finished test
 * moves the plan's dates), conditional on the plan's version read.
 */
export async function saveTest(
  next: ContinuityTest,
  previous: ContinuityTest,
  actor: Actor,
  eventType: TestEventType,
  extra: { planAfter?: { plan: ContinuityPlan; expectedVersion: number }; facts?: Record<string, unknown>; stepId?: string } = {},
): Promise<void> {
  const changes: FieldChange[] = (
    ['status', 'startedAt', 'completedAt', 'recoveryMinutes', 'dataLossMinutes', 'improvementItemId', 'problemId'] as const
  ).flatMap((field) => (previous[field] === next[field] ? [] : [{ field, from: previous[field], to: next[field] }]));
  const relatedUpdates: RelatedUpdate[] = extra.planAfter ? [planReplacement(extra.planAfter.plan, extra.planAfter.expectedVersion)] : [];
  await commitMutation({
    actor,
    recordType: 'ContinuityTest',
    recordId: next.id,
    write: { kind: 'replace', item: testItem(next), expectedVersion: previous.version, ifMatch: false },
    audit: { action: eventType, version: next.version, changes, facts: extra.facts ?? {} },
    event: testEvent(eventType, next, actor, extra.stepId ?? null),
    relatedUpdates,
  });
}

/** The plan rewritten whole (every attribute, index keys included) as an Update, on its version. */
function planReplacement(plan: ContinuityPlan, expectedVersion: number): RelatedUpdate {
  const { PK, SK, ...attributes } = planItem(plan);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:v${i}`] = value;
    return `#a${i} = :v${i}`;
  });
  names['#version'] = 'version';
  return {
    key: { PK, SK },
    update: {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export async function getTest(tenantId: string, testId: string): Promise<ContinuityTest | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: continuityTestKey(tenantId, testId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<ContinuityTest>(result.Item) : null;
}

/** A page of a plan's tests, newest first. */
export async function listTestsOfPlan(tenantId: string, planId: string, limit: number, cursor?: string): Promise<Page<TestSummary>> {
  return querySummaryPage<TestSummary>(continuityTestsOfPlanKey(tenantId, planId), { limit, cursor, newestFirst: true });
}
