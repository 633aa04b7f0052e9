/** `PATCH /cis/{id}`: edit a CI; attributes merge, each change audited. @module */
import { now } from '#shared/clock.js';
import { updateCi } from '#shared/domain/cmdb/ci.js';
import { changeCi, ciResult, ciRules } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.updateCi, async ({ actor, params, body, ifMatch }) => {
  const rules = await ciRules(actor.tenantId);
  const ci = await changeCi(actor, params.id, ifMatch, (current) => updateCi(current, body, { actor, now: now().toISOString(), rules }));
  return ciResult(ci);
});
