/** `POST /cis/{id}/retire`: retire a CI (it keeps its history and relationships). @module */
import { now } from '../../shared/clock.js';
import { retireCi } from '../../shared/domain/ci.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeCi, ciResult } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.retireCi, async ({ actor, params, ifMatch }) => {
  return ciResult(await changeCi(actor, params.id, ifMatch, (current) => retireCi(current, { actor, now: now().toISOString() })));
});
