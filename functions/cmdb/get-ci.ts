/** `GET /cis/{id}`: the CI with its open incidents and scheduled changes. @module */
import { openIncidentsOnCis, scheduledChangesOnCis } from '../../shared/data/ci-links.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { ciResource, findCi } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';
import { incidentOnCi } from './impact-resource.js';

export const handler = httpHandler(routes.getCi, async ({ actor, params }) => {
  const ci = await findCi(actor, params.id);
  const [incidents, changes] = await Promise.all([openIncidentsOnCis(actor.tenantId, [ci.id]), scheduledChangesOnCis(actor.tenantId, [ci.id])]);
  return {
    statusCode: 200,
    body: { ...ciResource(ci), openIncidents: (incidents.byCi.get(ci.id) ?? []).map(incidentOnCi), scheduledChanges: changes },
    version: ci.version,
  };
});
