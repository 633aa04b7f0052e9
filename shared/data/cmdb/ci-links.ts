/**
 * Tickets that reference CIs: the open incidents of a CI (the incident
 * queue by CI, GSI6) and the scheduled changes on a set of CIs (to be
 * filled by the change practice).
 * @module
 */

import { listCalendarChanges } from '#shared/data/changes/change-repository.js';
import { incidentQueueKey } from '#shared/data/incidents/keys.js';
import { queryEachPage } from '#shared/data/query-page.js';
import { SUMMARY_ATTRIBUTE } from '#shared/data/table-definition.js';
import type { IncidentSummary } from '#shared/domain/incidents/incident.js';
import { OPEN_STATUSES } from '#shared/domain/incidents/incident-lifecycle.js';

/** Pages read per queue at most: a CI's queue also holds its closed incidents, which the filter skips. */
const MAX_PAGES_PER_QUEUE = 10;
const CONCURRENCY = 32;
/**
 * Up to this many CIs, each CI's incident queue is read (one Query each);
 * above it, the tenant's open status queues are read once (four Queries,
 * paged) and matched by CI, which costs what the open incidents weigh
 * rather than what the set of CIs counts.
 */
export const PER_CI_QUERY_LIMIT = 50;

/** Open incidents by CI, and how many Queries finding them took. */
export interface OpenIncidents {
  readonly byCi: ReadonlyMap<string, readonly IncidentSummary[]>;
  readonly queries: number;
}

/** All pages (up to the cap) of one incident queue, optionally filtered to open statuses. */
async function readQueue(indexName: string, partitionKey: string, openOnly: boolean): Promise<{ items: IncidentSummary[]; queries: number }> {
  const items: IncidentSummary[] = [];
  let queries = 0;
  const pages = queryEachPage(
    {
      IndexName: indexName,
      KeyConditionExpression: `${indexName}PK = :pk`,
      ...(openOnly
        ? {
            FilterExpression: `#summary.#status IN (${OPEN_STATUSES.map((_, i) => `:s${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#summary': SUMMARY_ATTRIBUTE, '#status': 'status' },
            ExpressionAttributeValues: { ':pk': partitionKey, ...Object.fromEntries(OPEN_STATUSES.map((status, i) => [`:s${i}`, status])) },
          }
        : { ExpressionAttributeValues: { ':pk': partitionKey } }),
    },
    MAX_PAGES_PER_QUEUE,
  );
  for await (const page of pages) {
    queries += 1;
    items.push(...page.map((item) => item[SUMMARY_ATTRIBUTE] as IncidentSummary));
  }
  return { items, queries };
}

/** Open incidents (new, assigned, in progress, on hold) of each CI, most urgent first. */
export async function openIncidentsOnCis(tenantId: string, ciIds: readonly string[]): Promise<OpenIncidents> {
  const byCi = new Map<string, IncidentSummary[]>();
  let queries = 0;
  if (ciIds.length > PER_CI_QUERY_LIMIT) {
    const wanted = new Set(ciIds);
    const queues = await Promise.all(
      OPEN_STATUSES.map((status) => {
        const { indexName, partitionKey } = incidentQueueKey(tenantId, 'status', status);
        return readQueue(indexName, partitionKey, false);
      }),
    );
    for (const queue of queues) {
      queries += queue.queries;
      for (const incident of queue.items)
        if (incident.ciId && wanted.has(incident.ciId)) byCi.set(incident.ciId, [...(byCi.get(incident.ciId) ?? []), incident]);
    }
    for (const list of byCi.values()) list.sort((a, b) => a.priority - b.priority || a.createdAt.localeCompare(b.createdAt));
    return { byCi, queries };
  }
  let next = 0;
  const worker = async () => {
    while (next < ciIds.length) {
      const ciId = ciIds[next++] as string;
      const { indexName, partitionKey } = incidentQueueKey(tenantId, 'ci', ciId);
      const queue = await readQueue(indexName, partitionKey, true);
      queries += queue.queries;
      if (queue.items.length > 0) byCi.set(ciId, queue.items);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ciIds.length) }, worker));
  return { byCi, queries };
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
 * Changes holding a window on any of `ciIds` (scheduled or being
 * implemented), in planned-start order: the change calendar's own read
 * (one Query per calendar status, `listCalendarChanges`), narrowed to the
 * set. Cost follows the tenant's calendar, not the number of CIs asked about.
 */
export async function scheduledChangesOnCis(tenantId: string, ciIds: readonly string[]): Promise<ScheduledChangeOnCi[]> {
  if (ciIds.length === 0) return [];
  const wanted = new Set(ciIds);
  const changes = await listCalendarChanges(tenantId);
  return changes
    .filter((change) => change.ciIds.some((ciId) => wanted.has(ciId)))
    .sort((a, b) => a.plannedStart.localeCompare(b.plannedStart))
    .map(({ id, number, title, status, plannedStart, plannedEnd, ciIds: affected }) => ({
      changeId: id,
      number,
      title,
      status,
      plannedStart,
      plannedEnd,
      ciIds: [...affected],
    }));
}
