/**
 * `POST /releases/{id}/complete`: success or rolled back, with the report.
 * The CIs' new version travels in ReleaseCompleted (`facts.ciVersionUpdates`),
 * which the rule `ReleaseCiVersions` writes to the CMDB.
 * @module
 */
import { now } from '#shared/clock.js';
import { completeRelease } from '#shared/domain/changes/release.js';
import { changeRelease, releaseResult } from '#shared/http/changes/release-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.completeRelease, async ({ actor, params, body, ifMatch }) => {
  const release = await changeRelease(actor, params.id, ifMatch, (current) =>
    completeRelease(current, { actor, now: now().toISOString() }, body.result, body.report),
  );
  return releaseResult(release);
});
