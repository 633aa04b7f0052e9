/** `POST /cis/{id}/retire`: retire a CI (it keeps its history and relationships). @module */
import { now } from '#shared/clock.js';
import { retireCi } from '#shared/domain/cmdb/ci.js';
import { changeCi, ciResult } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.retireCi, async ({ actor, params, ifMatch }) => {
  return ciResult(await changeCi(actor, params.id, ifMatch, (current) => retireCi(current, { actor, now: now().toISOString() })));
});
