/**
 * Key builders of the continuity practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

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

export function improvementItemKey(tenantId: string, itemId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}IMPROVEMENT#${segment(itemId)}`, SK: 'IMPROVEMENT' };
}

/** GSI1 partition of improvement items, oldest first (problems moved to `../problems/keys.ts`). */
export function improvementItemListKey(tenantId: string): { indexName: string; partitionKey: string } {
  return { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}IMPROVEMENT_ITEMS` };
}
