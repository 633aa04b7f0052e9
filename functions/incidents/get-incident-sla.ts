/**
 * `GET /incidents/{id}/sla`: the incident's SLA clocks, replayed from its
 * audit trail under the tenant's SLA definition.
 * @module
 */

import { listWholeIncidentHistory } from '../../shared/data/incident-repository.js';
import { getSlaDefinition } from '../../shared/data/sla-settings-repository.js';
import { computeSlaClock } from '../../shared/domain/sla-clock.js';
import { ledgerFromHistory } from '../../shared/domain/sla-ledger.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { findVisibleIncident } from './incident-access.js';
import { incidentRoutes as routes } from './incident-routes.js';

export const handler = httpHandler(routes.getIncidentSla, async ({ actor, params }) => {
  const incident = await findVisibleIncident(actor, params.id);
  const [history, setting] = await Promise.all([listWholeIncidentHistory(actor.tenantId, incident.id), getSlaDefinition(actor.tenantId)]);
  const ledger = ledgerFromHistory(history);
  const definition = setting.value;
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
