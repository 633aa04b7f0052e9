/** `PATCH /cis/{id}`: edit a CI; attributes merge, each change audited. @module */
import { now } from '../../shared/clock.js';
import { updateCi } from '../../shared/domain/ci.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeCi, ciResult, ciRules } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.updateCi, async ({ actor, params, body, ifMatch }) => {
  const rules = await ciRules(actor.tenantId);
  const ci = await changeCi(actor, params.id, ifMatch, (current) => updateCi(current, body, { actor, now: now().toISOString(), rules }));
  return ciResult(ci);
});
