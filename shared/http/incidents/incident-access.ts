/**
 * What every incident handler does the same way: find the incident the
 * caller may see, present it, and run a life-cycle action on it.
 * @module
 */

import type * as z from 'zod';
import { getIncident, getIncidentByNumber, saveIncident } from '#shared/data/incidents/incident-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { canView, type Incident, type IncidentChange, type IncidentSummary, incidentActionsFor } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';
import { requireActiveGroup } from '#shared/services/groups/group-dispatch.js';
import { IncidentResource, IncidentSummaryResource } from './schemas.js';

/**
 * The incident named by `idOrNumber` if the actor may see it. Another
 * tenant's incident, or another requester's, is simply not found.
 */
export async function findVisibleIncident(actor: Actor, idOrNumber: string): Promise<Incident> {
  const incident = idOrNumber.startsWith('INC') ? await getIncidentByNumber(actor.tenantId, idOrNumber) : await getIncident(actor.tenantId, idOrNumber);
  if (!incident || !canView(actor, incident)) throw new NotFoundError(`Incident ${idOrNumber} was not found.`);
  return incident;
}

/** `value`'s members in the order the schema declares them: stable, readable JSON. */
function inSchemaOrder<T>(shape: Record<string, unknown>, value: Record<string, unknown>): T {
  return Object.fromEntries(Object.keys(shape).map((field) => [field, value[field]])) as T;
}

/** The API representation of an incident for `actor`: the record plus the actions this caller may take now. */
export function incidentResource(incident: Incident, actor: Pick<Actor, 'roles'>): z.infer<typeof IncidentResource> {
  return inSchemaOrder(IncidentResource.shape, { ...incident, allowedActions: incidentActionsFor(incident, actor) });
}

/** The API representation of a queue row for `actor`. */
export function incidentSummaryResource(summary: IncidentSummary, actor: Pick<Actor, 'roles'>): z.infer<typeof IncidentSummaryResource> {
  return inSchemaOrder(IncidentSummaryResource.shape, { ...summary, allowedActions: incidentActionsFor(summary, actor) });
}

export function incidentResult(incident: Incident, actor: Pick<Actor, 'roles'>, statusCode = 200, headers?: Record<string, string>): ApiResult {
  return { statusCode, body: incidentResource(incident, actor), version: incident.version, ...(headers ? { headers } : {}) };
}

/**
 * Read (strongly consistent, also when found by number), check `If-Match`,
 * apply `change`, check that a group it dispatches to is an active group of
 * the tenant (422 naming `body.assignmentGroup`, nothing written), write
 * conditionally on the version read.
 */
export async function changeIncident(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  change: (incident: Incident) => IncidentChange | Promise<IncidentChange>,
): Promise<Incident> {
  const { mutation } = await mutateRecord({
    load: () => findVisibleIncident(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: async (incident) => {
      const result = await change(incident);
      const group = result.incident.assignmentGroup;
      if (group !== null && group !== incident.assignmentGroup) await requireActiveGroup(actor.tenantId, group, 'body.assignmentGroup');
      return result;
    },
    save: (result, incident, named) => saveIncident(result, actor, incident.version, named),
  });
  return mutation.incident;
}
