/** `PUT /settings/escalation`: tenant admins replace the escalation policy; running workflows follow it at their next wake-up. @module */
import { now } from '#shared/clock.js';
import { getEscalationPolicy, saveEscalationPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { checkIfMatch, httpHandler } from '#shared/http/http-handler.js';
import { settingResult } from '#shared/http/setting-result.js';
import { slaRoutes as routes } from '#shared/http/sla/routes.js';
import { requireActiveGroups } from '#shared/services/groups/group-dispatch.js';

export const handler = httpHandler(routes.putEscalationPolicy, async ({ actor, body, ifMatch }) => {
  const current = await getEscalationPolicy(actor.tenantId);
  checkIfMatch(ifMatch, current.version);
  await requireActiveGroups(
    actor.tenantId,
    body.levels.flatMap((level, index) => (level.assignmentGroup ? [{ code: level.assignmentGroup, field: `body.levels.${index}.assignmentGroup` }] : [])),
  );
  return settingResult(await saveEscalationPolicy(actor, current, body, now().toISOString(), ifMatch !== undefined));
});
