/**
 * `GET /incidents/{id}/sla`: the incident's SLA clocks, replayed from its
 * audit trail under the definition of the tenant's policy that applies to
 * it now (with the calendar in force and where that came from).
 * @module
 */

import * as clock from '#shared/clock.js';
import { listWholeIncidentHistory } from '#shared/data/incidents/incident-repository.js';
import { getSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { computeSlaClock } from '#shared/domain/sla/sla-clock.js';
import { ledgerFromHistory } from '#shared/domain/sla/sla-ledger.js';
import { selectSla } from '#shared/domain/sla/sla-policy.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { findVisibleIncident } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.getIncidentSla, async ({ actor, params }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const [history, policy] = await Promise.all([listWholeIncidentHistory(actor.tenantId, incident.id), getSlaPolicy(actor.tenantId)]);
  const applied = selectSla(policy.value, incident);
  const now = clock.now();
  return {
    statusCode: 200,
    // Dates become ISO strings in JSON, as everywhere in the API.
    body: JSON.parse(
      JSON.stringify({
        incidentId: incident.id,
        number: incident.number,
        sla: applied?.definition.name ?? null,
        slaIndex: applied?.index ?? null,
        calendar: applied?.definition.calendar ?? null,
        calendarSource: applied?.calendarSource ?? null,
        computedAt: now,
        clocks: applied ? computeSlaClock(applied.definition, ledgerFromHistory(history), now) : {},
      }),
    ),
  };
});
