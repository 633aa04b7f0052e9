/** `PUT /settings/sla`: tenant admins replace the SLA definition; every clock is recomputed under it. @module */
import { getSlaDefinition, saveSlaDefinition } from '../../shared/data/sla-settings-repository.js';
import { checkIfMatch, httpHandler } from '../../shared/http/http-handler.js';
import { slaDefinitionResult } from './get-sla-definition.js';
import { tenantRoutes as routes } from './tenant-routes.js';

export const handler = httpHandler(routes.putSlaDefinition, async ({ actor, body, ifMatch }) => {
  const current = await getSlaDefinition(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return slaDefinitionResult(await saveSlaDefinition(actor, current, body.definition, new Date().toISOString(), ifMatch !== undefined));
});
