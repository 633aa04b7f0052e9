/**
 * Presenting tickets and CIs in CMDB answers.
 * @module
 */
import type { CiSummary } from '../../shared/data/ci-repository.js';
import type { IncidentSummary } from '../../shared/domain/incident.js';

/** An open incident as CMDB answers list it. */
export function incidentOnCi(incident: IncidentSummary) {
  const { id, number, title, priority, status, assignmentGroup, ciId } = incident;
  return { id, number, title, priority, status, assignmentGroup, ciId };
}

/** A CI summary without the bookkeeping health uses. */
export function ciSummaryResource(summary: CiSummary) {
  const { filled: _, ...rest } = summary;
  return rest;
}
