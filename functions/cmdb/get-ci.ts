/** `GET /cis/{id}`: the CI with its open incidents and scheduled changes. @module */
import { openIncidentsOnCis, scheduledChangesOnCis } from '#shared/data/cmdb/ci-links.js';
import { ciResource, findCi } from '#shared/http/cmdb/ci-access.js';
import { incidentOnCi } from '#shared/http/cmdb/impact-resource.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getCi, async ({ actor, params }) => {
  const ci = await findCi(actor, params.id);
  const [incidents, changes] = await Promise.all([openIncidentsOnCis(actor.tenantId, [ci.id]), scheduledChangesOnCis(actor.tenantId, [ci.id])]);
  return {
    statusCode: 200,
    body: { ...ciResource(ci), openIncidents: (incidents.byCi.get(ci.id) ?? []).map(incidentOnCi), scheduledChanges: changes },
    version: ci.version,
  };
});
