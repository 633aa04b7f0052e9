/** `GET /changes/can-deploy?ci=…&at=…`: a yes/no gate for CI/CD pipelines, with reasons. @module */
import { now } from '#shared/clock.js';
import { listCalendarChanges } from '#shared/data/changes/change-repository.js';
import { CHANGE_CALENDAR_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { canDeploy } from '#shared/domain/changes/change-calendar.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.canDeploy, async ({ actor, query }) => {
  const at = query.at ?? now().toISOString();
  const [settings, changes] = await Promise.all([getSetting(CHANGE_CALENDAR_SETTING, actor.tenantId), listCalendarChanges(actor.tenantId, at)]);
  const serviceIds = query.service === undefined ? [] : Array.isArray(query.service) ? query.service : [query.service];
  const answer = canDeploy({ ciId: query.ci, at, serviceIds, ...(query.change ? { changeId: query.change } : {}) }, changes, settings.value);
  return { statusCode: 200, body: { ci: query.ci, at, allowed: answer.allowed, answer: answer.allowed ? 'yes' : 'no', reasons: answer.reasons } };
});
