/** `POST /changes/{id}/submit`: conflict check, then into the flow of the change's type. @module */
import { now } from '#shared/clock.js';
import { listCalendarChanges } from '#shared/data/changes/change-repository.js';
import { CHANGE_APPROVAL_SETTING, CHANGE_CALENDAR_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { calendarView, submitChange } from '#shared/domain/changes/change.js';
import { detectConflicts } from '#shared/domain/changes/change-calendar.js';
import { CONFLICT_STATUSES } from '#shared/domain/changes/change-lifecycle.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.submitChange, async ({ actor, params, ifMatch }) => {
  const [calendar, approvals] = await Promise.all([getSetting(CHANGE_CALENDAR_SETTING, actor.tenantId), getSetting(CHANGE_APPROVAL_SETTING, actor.tenantId)]);
  const change = await changeChange(
    actor,
    params.id,
    ifMatch,
    async (current) => {
      const others = await listCalendarChanges(actor.tenantId, current.plannedEnd, CONFLICT_STATUSES);
      const conflicts = detectConflicts(calendarView(current), others, calendar.value);
      return submitChange(current, { actor, now: now().toISOString() }, conflicts, approvals.value);
    },
    { lockCis: true },
  );
  return changeResult(change, actor);
});
