/** `POST /changes/{id}/submit`: conflict check, then into the flow of the change's type. @module */
import { now } from '../../shared/clock.js';
import { listCalendarChanges } from '../../shared/data/change-repository.js';
import { CHANGE_APPROVAL_SETTING, CHANGE_CALENDAR_SETTING } from '../../shared/data/change-settings-repository.js';
import { getSetting } from '../../shared/data/settings-repository.js';
import { calendarView, submitChange } from '../../shared/domain/change.js';
import { detectConflicts } from '../../shared/domain/change-calendar.js';
import { CONFLICT_STATUSES } from '../../shared/domain/change-lifecycle.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeChange, changeResult } from './change-access.js';
import { changeRoutes as routes } from './change-routes.js';

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
  return changeResult(change);
});
