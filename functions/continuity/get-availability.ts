/**
 * `GET /cis/{id}/availability`: availability of a business service over
 * `from`–`to` from the outages of its major incidents (overlaps counted
 * once), against the target of its continuity plan (or the query's, or
 * 99.9 %), with MTTR and MTBF.
 * @module
 */
import { getCi } from '#shared/data/cmdb/ci-repository.js';
import { getPlan, planIdsOfService } from '#shared/data/continuity/continuity-repository.js';
import { majorIncidentOutages } from '#shared/data/continuity/service-outages.js';
import { availabilityReport, DEFAULT_AVAILABILITY_TARGET } from '#shared/domain/continuity/availability.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getServiceAvailability, async ({ actor, params, query }) => {
  const service = await getCi(actor.tenantId, params.id);
  if (service?.class !== 'business_service') throw new NotFoundError(`Business service ${params.id} was not found.`);
  const from = new Date(query.from).toISOString();
  const to = new Date(query.to).toISOString();
  const [outages, target] = await Promise.all([majorIncidentOutages(actor.tenantId, service.id, to), targetOf(actor.tenantId, service.id, query.target)]);
  const report = availabilityReport(outages, { from, to }, target);
  const inPeriod = outages.filter((outage) => (outage.end === null || outage.end > from) && outage.start < to);
  return {
    statusCode: 200,
    body: {
      serviceId: service.id,
      from,
      to,
      ...report,
      majorIncidents: inPeriod.map((outage) => ({ id: outage.incidentId, number: outage.number, start: outage.start, restoredAt: outage.end })),
    },
  };
});

/** The query's target, else the strictest target of the service's plans, else the default. */
async function targetOf(tenantId: string, serviceId: string, requested: number | undefined): Promise<number> {
  if (requested !== undefined) return requested;
  const plans = await Promise.all((await planIdsOfService(tenantId, serviceId)).map((id) => getPlan(tenantId, id)));
  const targets = plans.flatMap((plan) => (plan ? [plan.availabilityTarget] : []));
  return targets.length ? Math.max(...targets) : DEFAULT_AVAILABILITY_TARGET;
}
