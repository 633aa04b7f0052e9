/**
 * `POST /releases/{id}/complete`: success or rolled back, with the report.
 * The CIs' new version travels in ReleaseCompleted (`facts.ciVersionUpdates`);
 * `updateCiVersions` is the hook the CMDB fills in.
 * @module
 */
import { now } from '../../shared/clock.js';
import { updateCiVersions } from '../../shared/data/cmdb-ci-versions.js';
import { ciVersionUpdates, completeRelease } from '../../shared/domain/release.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { changeRelease, releaseResult } from './release-access.js';

export const handler = httpHandler(routes.completeRelease, async ({ actor, params, body, ifMatch }) => {
  const release = await changeRelease(actor, params.id, ifMatch, (current) =>
    completeRelease(current, { actor, now: now().toISOString() }, body.result, body.report),
  );
  await updateCiVersions(actor, ciVersionUpdates(release));
  return releaseResult(release);
});
