/**
 * Tickets that reference CIs: the open incidents of a CI (the incident
 * queue by CI, GSI6) and the scheduled changes on a set of CIs (to be
 * filled by the change practice).
 * @module
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentSummary } from '../domain/incident.js';
import { OPEN_STATUSES } from '../domain/incident-lifecycle.js';
import { db, tableName } from './client.js';
import { incidentQueueKey } from './keys.js';
import { SUMMARY_ATTRIBUTE } from './table-definition.js';

/** Pages read per CI at most: a CI's queue also holds its closed incidents, which the filter skips. */
const MAX_PAGES_PER_CI = 10;
const CONCURRENCY = 32;

/**
 * Open incidents (new, assigned, in progress, on hold) of each CI, most
 * urgent first: one Query per CI on its incident queue, filtered to open
 * statuses (closed ones are read and skipped, which costs their size).
 */
export async function openIncidentsOnCis(tenantId: string, ciIds: readonly string[]): Promise<Map<string, IncidentSummary[]>> {
  const result = new Map<string, IncidentSummary[]>();
  let next = 0;
  const worker = async () => {
    while (next < ciIds.length) {
      const ciId = ciIds[next++] as string;
      const { indexName, partitionKey } = incidentQueueKey(tenantId, 'ci', ciId);
      const found: IncidentSummary[] = [];
      let start: Record<string, unknown> | undefined;
      for (let page = 0; page < MAX_PAGES_PER_CI; page++) {
        const answer = await db.send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: indexName,
            KeyConditionExpression: `${indexName}PK = :pk`,
            FilterExpression: `#summary.#status IN (${OPEN_STATUSES.map((_, i) => `:s${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#summary': SUMMARY_ATTRIBUTE, '#status': 'status' },
            ExpressionAttributeValues: { ':pk': partitionKey, ...Object.fromEntries(OPEN_STATUSES.map((status, i) => [`:s${i}`, status])) },
            ExclusiveStartKey: start,
          }),
        );
        found.push(...(answer.Items ?? []).map((item) => item[SUMMARY_ATTRIBUTE] as IncidentSummary));
        start = answer.LastEvaluatedKey;
        if (!start) break;
      }
      if (found.length > 0) result.set(ciId, found);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ciIds.length) }, worker));
  return result;
}

/** A change scheduled on a CI, as the change practice will describe it. */
export interface ScheduledChangeOnCi {
  readonly changeId: string;
  readonly number: string;
  readonly title: string;
  readonly status: string;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly ciIds: readonly string[];
}

/**
 * Changes scheduled (approved, not yet implemented) on any of `ciIds`.
 * Changes do not exist yet: the change practice fills this in (its
 * affected-CI index), and impact analysis already answers with it.
 */
export async function scheduledChangesOnCis(_tenantId: string, _ciIds: readonly string[]): Promise<ScheduledChangeOnCi[]> {
  return [];
}
