/**
 * Key builders of the problems practice: the only place that knows how its
 * keys are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * Problem records keep the partition and list that continuity's problem
 * records had (`PROBLEM#<id>`, GSI1 `PROBLEMS`), so those stay readable.
 * @module
 */
import { numberLookupKey, type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/** A problem's partition holds the problem, its audit trail and nothing else. */
export function problemKey(tenantId: string, problemId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}PROBLEM#${segment(problemId)}`, SK: 'PROBLEM' };
}

/** GSI1: every problem of a tenant, oldest first; GSI2: by status. */
export function problemListKey(tenantId: string, status?: string): { indexName: string; partitionKey: string } {
  return status === undefined
    ? { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}PROBLEMS` }
    : { indexName: 'GSI2', partitionKey: `${tenantPrefix(tenantId)}PROBLEMS#STATUS#${segment(status)}` };
}

export function problemIndexKeys(problem: { tenantId: string; id: string; number: string; status: string; createdAt: string }): Record<string, string> {
  return {
    QSK: `${problem.createdAt}#${problem.id}`,
    GSI1PK: problemListKey(problem.tenantId).partitionKey,
    GSI2PK: problemListKey(problem.tenantId, problem.status).partitionKey,
    GSI7PK: numberLookupKey(problem.tenantId, problem.number).partitionKey,
  };
}

/**
 * The back link of a problem in the partition of a linked record (an
 * incident or a change): "which problems is this incident linked to" is a
 * Query on the record's own partition.
 */
export const PROBLEM_LINK_PREFIX = 'PROBLEM#';
export function problemLinkKey(recordPk: string, problemId: string): PrimaryKey {
  return { PK: recordPk, SK: `${PROBLEM_LINK_PREFIX}${segment(problemId)}` };
}

/** Known errors by CI: one item per (CI, problem), so the CIs of a new incident find theirs with one Query each. */
export function knownErrorsOfCiKey(tenantId: string, ciId: string): string {
  return `${tenantPrefix(tenantId)}KNOWN_ERRORS#CI#${segment(ciId)}`;
}

/**
 * Trend detection: one partition per CI holds the incidents seen on it
 * (sort key `<createdAt>#<incidentId>`, so a window is a key range) and the
 * cluster's proposal claim (`CLAIM`, which sorts after every timestamp).
 */
export function trendPartition(tenantId: string, ciId: string): string {
  return `${tenantPrefix(tenantId)}TREND#CI#${segment(ciId)}`;
}
export const TREND_CLAIM_SK = 'CLAIM';

/** Problem settings (trend threshold and window, verification period). */
export function problemSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'PROBLEMS' };
}
