/** `POST /cis`: record a CI (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '../../shared/clock.js';
import { insertCi } from '../../shared/data/ci-repository.js';
import { ciIdForExternalId, createCi } from '../../shared/domain/ci.js';
import { httpHandler, replayedResult, storedResponse } from '../../shared/http/http-handler.js';
import { ciResult, ciRules } from './ci-access.js';
import { cmdbRoutes as routes } from './cmdb-routes.js';

export const handler = httpHandler(routes.createCi, async ({ actor, body, idempotency, path }) => {
  const id = body.externalId ? ciIdForExternalId(body.externalId) : ulid();
  const change = createCi(body, id, { actor, now: now().toISOString(), rules: await ciRules(actor.tenantId) });
  const result = ciResult(change.ci, 201, { location: `${path}/${id}` });
  const replay = await insertCi(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
