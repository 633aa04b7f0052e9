/** `PUT /settings/problems`: tenant admins, under If-Match. @module */
import { now } from '#shared/clock.js';
import { getProblemSettings, saveProblemSettings } from '#shared/data/problems/problem-repository.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { settingResult } from '#shared/http/setting-result.js';

export const handler = httpHandler(routes.putProblemSettings, async ({ actor, body, ifMatch }) => {
  const current = await getProblemSettings(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  return settingResult(await saveProblemSettings(actor, current, body, now().toISOString(), ifMatch !== undefined));
});
