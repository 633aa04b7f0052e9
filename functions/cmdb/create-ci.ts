/** `POST /cis`: record a CI (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertCi } from '#shared/data/cmdb/ci-repository.js';
import { ciIdForExternalId, createCi } from '#shared/domain/cmdb/ci.js';
import { ciResult, ciRules } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.createCi, async ({ actor, body, idempotency, path }) => {
  const id = body.externalId ? ciIdForExternalId(body.externalId) : ulid();
  const change = createCi(body, id, { actor, now: now().toISOString(), rules: await ciRules(actor.tenantId) });
  const result = ciResult(change.ci, 201, { location: `${path}/${id}` });
  const replay = await insertCi(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
