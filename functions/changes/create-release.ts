/** `POST /releases`: plan a release over approved changes (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { getChange } from '#shared/data/changes/change-repository.js';
import { insertRelease } from '#shared/data/changes/release-repository.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import type { Change } from '#shared/domain/changes/change.js';
import { createRelease } from '#shared/domain/changes/release.js';
import { releaseResult } from '#shared/http/changes/release-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.createRelease, async ({ actor, body, idempotency, path }) => {
  const found = await Promise.all([...new Set(body.changeIds)].map((id) => getChange(actor.tenantId, id)));
  const changes = found.filter((change): change is Change => change !== null);
  const number = await allocateNumber(actor.tenantId, 'REL');
  const mutation = createRelease(body, { id: ulid(), number }, { actor, now: now().toISOString() }, changes);
  const result = releaseResult(mutation.release, 201, { location: `${path}/${mutation.release.id}` });
  const replay = await insertRelease(mutation, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
