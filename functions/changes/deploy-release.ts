/** `POST /releases/{id}/deploy`: the next stage of the plan (pilot, then full). @module */
import { now } from '#shared/clock.js';
import { deployStage } from '#shared/domain/changes/release.js';
import { changeRelease, releaseResult } from '#shared/http/changes/release-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.deployRelease, async ({ actor, params, body, ifMatch }) =>
  releaseResult(
    await changeRelease(actor, params.id, ifMatch, (release) => deployStage(release, { actor, now: now().toISOString() }, body.stage, body.notes ?? null)),
  ),
);
