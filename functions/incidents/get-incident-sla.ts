/**
 * `GET /incidents/{id}/sla`: the incident's SLA clocks, replayed from its
 * audit trail under the standard SLA (per-tenant definitions and calendars
 * come with the SLA settings API).
 * @module
 */

import { listWholeIncidentHistory } from '../../shared/data/incident-repository.js';
import { computeSlaClock } from '../../shared/domain/sla-clock.js';
import { defaultSlaDefinition } from '../../shared/domain/sla-definition.js';
import { ledgerFromHistory } from '../../shared/domain/sla-ledger.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { findVisibleIncident } from './incident-access.js';
import { incidentRoutes as routes } from './incident-routes.js';

const definition = defaultSlaDefinition();

export const handler = httpHandler(routes.getIncidentSla, async ({ actor, params }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const ledger = ledgerFromHistory(await listWholeIncidentHistory(actor.tenantId, incident.id));
  const now = new Date();
  return {
    statusCode: 200,
    // Dates become ISO strings in JSON, as everywhere in the API.
    body: JSON.parse(
      JSON.stringify({
        incidentId: incident.id,
        number: incident.number,
        sla: definition.name,
        calendar: definition.calendar,
        computedAt: now,
        clocks: computeSlaClock(definition, ledger, now),
      }),
    ),
  };
});
