/**
 * One handler body for every life-cycle action route: the routes differ
 * only in their body schema and in the command they build.
 * @module
 */
import * as clock from '#shared/clock.js';
import { applyIncidentAction, type IncidentCommand } from '#shared/domain/incidents/incident.js';
import { httpHandler } from '#shared/http/http-handler.js';
import type { RouteSpec } from '#shared/http/route.js';
import { changeIncident, incidentResult } from './incident-access.js';

/** A handler for `route` that applies the command `toCommand` builds from the body. */
export function incidentActionHandler<R extends RouteSpec>(route: R, toCommand: (body: unknown) => IncidentCommand) {
  return httpHandler(route, async ({ actor, params, body, ifMatch }) => {
    const { id } = params as { id: string };
    const now = clock.now().toISOString();
    const incident = await changeIncident(actor as NonNullable<typeof actor>, id, ifMatch, (current) =>
      applyIncidentAction(current, toCommand(body), { actor: actor as NonNullable<typeof actor>, now }),
    );
    return incidentResult(incident, actor as NonNullable<typeof actor>);
  });
}
