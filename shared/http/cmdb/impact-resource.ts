/**
 * Presenting tickets and CIs in CMDB answers.
 * @module
 */
import type { CiSummary } from '#shared/data/cmdb/ci-repository.js';
import type { IncidentSummary } from '#shared/domain/incidents/incident.js';
import { pick } from '#shared/domain/pick.js';

/** An open incident as CMDB answers list it. */
export function incidentOnCi(incident: IncidentSummary) {
  const { id, number, title, priority, status, assignmentGroup, ciId } = incident;
  return { id, number, title, priority, status, assignmentGroup, ciId };
}

const SUMMARY_FIELDS = [
  'id',
  'class',
  'name',
  'status',
  'ownerGroup',
  'environment',
  'criticality',
  'serviceCode',
  'externalId',
  'updatedAt',
  'version',
] as const;

/** A CI summary in a stable field order, without the bookkeeping health uses. */
export function ciSummaryResource(summary: CiSummary): Pick<CiSummary, (typeof SUMMARY_FIELDS)[number]> {
  return pick(summary, SUMMARY_FIELDS);
}
