/** `GET /change-calendar`: JSON, or an iCalendar feed with `format=ics`. @module */
import { now } from '#shared/clock.js';
import { listCalendarChanges } from '#shared/data/changes/change-repository.js';
import { CHANGE_CALENDAR_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { blackoutApplies, calendarEntries, toICalendar } from '#shared/domain/changes/change-calendar.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChangeCalendar, async ({ actor, query }) => {
  const [settings, changes] = await Promise.all([getSetting(CHANGE_CALENDAR_SETTING, actor.tenantId), listCalendarChanges(actor.tenantId, query.to)]);
  let entries = calendarEntries(query.from, query.to, changes, settings.value);
  if (query.ci) {
    const ci = query.ci;
    entries = entries.filter((entry) => (entry.kind === 'blackout' ? blackoutApplies(entry, [ci], []) : entry.ciIds.includes(ci)));
  }
  if (query.format === 'ics') {
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="changes.ics"' },
      text: toICalendar(entries, actor.tenantId, now().toISOString()),
    };
  }
  return { statusCode: 200, body: { from: query.from, to: query.to, entries } };
});
