/** Business calendars for SLA tests. */
import { type BusinessCalendarConfig, businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';

/**
 * An irregular calendar: a half-hour daylight-saving zone, split and
 * all-day open spans, a Saturday and two holidays. Properties that hold
 * here hold for calendars that are not plain office hours.
 */
export const IRREGULAR_CALENDAR: BusinessCalendarConfig = businessCalendarSchema.parse({
  timeZone: 'Australia/Lord_Howe',
  week: {
    mon: [
      { start: '01:00', end: '03:00' },
      { start: '09:00', end: '17:00' },
    ],
    wed: [{ start: '00:00', end: '24:00' }],
    sat: [{ start: '10:00', end: '14:00' }],
  },
  holidays: ['2024-10-07', '2024-12-25'],
});
