/**
 * Outages of a business service: its major incidents, each from its start
 * (created) to the service restored (resolved). There is no incident index
 * by service yet, so this reads the tenant's incident list (GSI1) filtered
 * to the service's major incidents created before the period ends, then
 * the matching records for their status times: the cost grows with the
 * tenant's incidents (a service index is the fix once the volume asks).
 * @module
 */

import { batchGetItems } from '#shared/data/batch-get.js';
import { incidentKey, incidentQueueKey } from '#shared/data/incidents/keys.js';
import { queryEachPage } from '#shared/data/query-page.js';
import { SUMMARY_ATTRIBUTE } from '#shared/data/table-definition.js';
import type { Outage } from '#shared/domain/continuity/availability.js';
import type { Incident, IncidentSummary } from '#shared/domain/incidents/incident.js';
import { OPEN_STATUSES } from '#shared/domain/incidents/incident-lifecycle.js';

export interface ServiceOutage extends Outage {
  readonly incidentId: string;
  readonly number: string;
}

/** Pages of the tenant's incident list read at most (1 MB each before the filter). */
const MAX_PAGES = 50;

export async function majorIncidentOutages(tenantId: string, serviceId: string, to: string): Promise<ServiceOutage[]> {
  const { indexName, partitionKey } = incidentQueueKey(tenantId, 'all');
  const candidates: IncidentSummary[] = [];
  const pages = queryEachPage(
    {
      IndexName: indexName,
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: '#s.serviceId = :service AND #s.majorIncident = :major AND #s.createdAt < :to AND #s.#status <> :cancelled',
      ExpressionAttributeNames: { '#s': SUMMARY_ATTRIBUTE, '#status': 'status' },
      ExpressionAttributeValues: { ':pk': partitionKey, ':service': serviceId, ':major': true, ':to': to, ':cancelled': 'cancelled' },
    },
    MAX_PAGES,
  );
  for await (const page of pages) candidates.push(...page.map((item) => item[SUMMARY_ATTRIBUTE] as IncidentSummary));
  if (candidates.length === 0) return [];
  // The summary holds id, number, status and creation time; only the status times live outside it.
  const records = await batchGetItems(
    candidates.map((incident) => incidentKey(tenantId, incident.id)),
    { expression: 'PK, statusChangedAt' },
  );
  const changedAt = new Map(records.map((record) => [String(record.PK).split('#').at(-1), record.statusChangedAt as Incident['statusChangedAt']]));
  return candidates
    .map((incident) => {
      const times = changedAt.get(incident.id) ?? {};
      return {
        incidentId: incident.id,
        number: incident.number,
        start: incident.createdAt,
        // Still open (or reopened): the service is not restored yet.
        end: (OPEN_STATUSES as readonly string[]).includes(incident.status) ? null : (times.resolved ?? times.closed ?? null),
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}
