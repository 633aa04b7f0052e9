/**
 * Change calendar rules: interval overlap, conflict detection (same CI,
 * freezes, maintenance windows), the can-deploy gate, the calendar view
 * and its iCalendar form. Table-driven, plus properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Blackout,
  type CalendarChange,
  type ChangeCalendarSettings,
  calendarEntries,
  canDeploy,
  changeCalendarSettingsSchema,
  detectConflicts,
  type MaintenanceWindow,
  onlyFreezes,
  overlaps,
  toICalendar,
} from '#shared/domain/changes/change-calendar.js';

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 11, day, hour, minute)).toISOString(); // December 2026; the 1st is a Tuesday
const change = (overrides: Partial<CalendarChange> = {}): CalendarChange => ({
  id: 'C1',
  number: 'CHG0001001',
  title: 'Patch',
  type: 'normal',
  status: 'scheduled',
  ciIds: ['db-01'],
  serviceIds: ['payments'],
  plannedStart: at(1, 2),
  plannedEnd: at(1, 3),
  ...overrides,
});
const blackout = (overrides: Partial<Blackout> = {}): Blackout => ({
  id: 'freeze',
  name: 'Freeze',
  start: at(1, 0),
  end: at(2, 0),
  ciIds: [],
  serviceIds: [],
  ...overrides,
});
const nightly = (target: MaintenanceWindow['target'], days: string[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']): MaintenanceWindow => ({
  id: `${target.id}-nightly`,
  name: 'Nightly',
  target,
  calendar: {
    timeZone: 'Europe/Paris',
    alwaysOpen: false,
    week: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, days.includes(day) ? [{ start: '02:00', end: '05:00' }] : []]),
    ) as never,
    holidays: ['2026-12-25'],
  },
});
const settings = (overrides: Partial<ChangeCalendarSettings> = {}): ChangeCalendarSettings => ({ blackouts: [], maintenanceWindows: [], ...overrides });

describe('overlaps', () => {
  it.each([
    [at(1, 1), at(1, 2), at(1, 2), at(1, 3), false],
    [at(1, 1), at(1, 3), at(1, 2), at(1, 4), true],
    [at(1, 1), at(1, 5), at(1, 2), at(1, 3), true],
    [at(1, 2), at(1, 3), at(1, 1), at(1, 2), false],
    [at(1, 2), at(1, 3), at(1, 2), at(1, 3), true],
  ])('[%s, %s) and [%s, %s) → %s', (a, b, c, d, expected) => {
    expect(overlaps(a, b, c, d)).toBe(expected);
  });

  it('is symmetric (property)', () => {
    const instant = fc.integer({ min: 0, max: 10_000 }).map((minutes) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString());
    fc.assert(
      fc.property(instant, instant, instant, instant, (a, b, c, d) => {
        expect(overlaps(a, b, c, d)).toBe(overlaps(c, d, a, b));
      }),
    );
  });
});

describe('detectConflicts', () => {
  // Paris is UTC+1 in December: the nightly window 02:00–05:00 is 01:00–04:00 UTC.
  const cases: [string, CalendarChange, CalendarChange[], ChangeCalendarSettings, string[]][] = [
    ['a free window', change(), [], settings(), []],
    [
      'the same CI in an overlapping change',
      change(),
      [change({ id: 'C2', number: 'CHG0001002', plannedStart: at(1, 2, 30), plannedEnd: at(1, 4) })],
      settings(),
      ['ci_overlap'],
    ],
    ['the same CI back to back', change(), [change({ id: 'C2', plannedStart: at(1, 3), plannedEnd: at(1, 4) })], settings(), []],
    ['another CI at the same time', change(), [change({ id: 'C2', ciIds: ['db-02'] })], settings(), []],
    ['itself', change(), [change()], settings(), []],
    ['two shared CIs: one conflict each', change({ ciIds: ['a', 'b'] }), [change({ id: 'C2', ciIds: ['b', 'a'] })], settings(), ['ci_overlap', 'ci_overlap']],
    ['an unscoped freeze', change(), [], settings({ blackouts: [blackout()] }), ['blackout']],
    ['a freeze of its service', change(), [], settings({ blackouts: [blackout({ serviceIds: ['payments'] })] }), ['blackout']],
    ['a freeze of another CI only', change(), [], settings({ blackouts: [blackout({ ciIds: ['web-01'] })] }), []],
    ['a freeze that ended before', change(), [], settings({ blackouts: [blackout({ start: at(1, 0), end: at(1, 2) })] }), []],
    ['inside the CI maintenance window', change(), [], settings({ maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })] }), []],
    [
      'running past the window',
      change({ plannedEnd: at(1, 4, 30) }),
      [],
      settings({ maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })] }),
      ['outside_maintenance_window'],
    ],
    [
      'on a weekday without window',
      change(),
      [],
      settings({ maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' }, ['sat', 'sun'])] }),
      ['outside_maintenance_window'],
    ],
    [
      'on a closed date (Christmas)',
      change({ plannedStart: at(25, 2), plannedEnd: at(25, 3) }),
      [],
      settings({ maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })] }),
      ['outside_maintenance_window'],
    ],
    [
      'outside the service window',
      change({ plannedStart: at(1, 10), plannedEnd: at(1, 11) }),
      [],
      settings({ maintenanceWindows: [nightly({ kind: 'service', id: 'payments' })] }),
      ['outside_maintenance_window'],
    ],
    [
      'a window of another CI does not bind it',
      change({ plannedStart: at(1, 10), plannedEnd: at(1, 11) }),
      [],
      settings({ maintenanceWindows: [nightly({ kind: 'ci', id: 'db-02' })] }),
      [],
    ],
    [
      'all three at once',
      change({ plannedStart: at(1, 2, 30), plannedEnd: at(1, 6) }),
      [change({ id: 'C2' })],
      settings({ blackouts: [blackout()], maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })] }),
      ['ci_overlap', 'blackout', 'outside_maintenance_window'],
    ],
  ];
  it.each(cases)('%s', (_case, candidate, others, calendar, kinds) => {
    const conflicts = detectConflicts(candidate, others, calendar);
    expect(conflicts.map((conflict) => conflict.kind)).toEqual(kinds);
    for (const conflict of conflicts) expect(conflict.message.length).toBeGreaterThan(10);
  });

  it('same-CI overlap is symmetric, and changes of disjoint CIs never conflict (properties)', () => {
    const window = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 48 })).map(([start, hours]) => ({
      plannedStart: at(1, 0, start * 15),
      plannedEnd: new Date(Date.parse(at(1, 0, start * 15)) + hours * 3_600_000).toISOString(),
    }));
    const cis = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(window, window, cis, cis, (first, second, firstCis, secondCis) => {
        const a = change({ id: 'A', ciIds: firstCis, ...first });
        const b = change({ id: 'B', ciIds: secondCis, ...second });
        const ab = detectConflicts(a, [b], settings()).length;
        const ba = detectConflicts(b, [a], settings()).length;
        expect(ab).toBe(ba);
        const shared = firstCis.filter((ci) => secondCis.includes(ci)).length;
        expect(ab).toBe(overlaps(a.plannedStart, a.plannedEnd, b.plannedStart, b.plannedEnd) ? shared : 0);
      }),
    );
  });

  it('names the other change, the freeze and the target in each conflict', () => {
    const conflicts = detectConflicts(
      change({ plannedStart: at(1, 2, 30), plannedEnd: at(1, 6) }),
      [change({ id: 'C2', number: 'CHG0001002' })],
      settings({ blackouts: [blackout()], maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })] }),
    );
    expect(conflicts).toEqual([
      expect.objectContaining({ kind: 'ci_overlap', ciId: 'db-01', changeId: 'C2', number: 'CHG0001002' }),
      expect.objectContaining({ kind: 'blackout', blackoutId: 'freeze', name: 'Freeze' }),
      expect.objectContaining({ kind: 'outside_maintenance_window', target: { kind: 'ci', id: 'db-01' }, windowIds: ['db-01-nightly'] }),
    ]);
  });

  it.each([
    [[], false],
    [[{ kind: 'blackout' }], true],
    [[{ kind: 'blackout' }, { kind: 'ci_overlap' }], false],
  ] as const)('onlyFreezes(%j) = %s', (conflicts, expected) => {
    expect(onlyFreezes(conflicts as never)).toBe(expected);
  });
});

describe('canDeploy', () => {
  const calendar = settings({
    blackouts: [blackout({ ciIds: ['web-01'], start: at(5, 0), end: at(6, 0) })],
    maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' })],
  });
  const implementing = change({ id: 'C9', status: 'implement', ciIds: ['app-01'], plannedStart: at(1, 8), plannedEnd: at(1, 10) });
  it.each([
    ['db-01 inside its window', { ciId: 'db-01', at: at(1, 2) }, []],
    ['db-01 at noon', { ciId: 'db-01', at: at(1, 12) }, ['outside_maintenance_window']],
    ['web-01 during its freeze', { ciId: 'web-01', at: at(5, 12) }, ['blackout']],
    ['web-01 after its freeze', { ciId: 'web-01', at: at(6, 0) }, []],
    ['app-01 while another change holds it', { ciId: 'app-01', at: at(1, 9) }, ['ci_overlap']],
    ['app-01 from that change itself', { ciId: 'app-01', at: at(1, 9), changeId: 'C9' }, []],
  ])('%s', (_case, query, kinds) => {
    const answer = canDeploy(query, [implementing], calendar);
    expect(answer.reasons.map((reason) => reason.kind)).toEqual(kinds);
    expect(answer.allowed).toBe(kinds.length === 0);
  });
});

describe('calendar view', () => {
  const calendar = changeCalendarSettingsSchema.parse({
    blackouts: [{ id: 'xmas', name: 'Christmas, freeze; all', start: '2026-12-24T00:00:00+01:00', end: '2026-12-27T00:00:00+01:00' }],
    maintenanceWindows: [nightly({ kind: 'ci', id: 'db-01' }, ['mon'])],
  });

  it('lists changes, freezes and window openings in the range, by start', () => {
    const entries = calendarEntries(
      at(20, 0),
      at(29, 0),
      [change({ plannedStart: at(22, 1), plannedEnd: at(22, 2) }), change({ id: 'old', plannedStart: at(1, 1), plannedEnd: at(1, 2) })],
      calendar,
    );
    expect(entries.map((entry) => [entry.kind, entry.start])).toEqual([
      ['maintenance_window', at(21, 1)],
      ['change', at(22, 1)],
      ['blackout', '2026-12-23T23:00:00.000Z'],
      ['maintenance_window', at(28, 1)],
    ]);
  });

  it('renders RFC 5545: CRLF lines, escaped text, folded long lines, one VEVENT per entry', () => {
    const entries = calendarEntries(
      at(20, 0),
      at(29, 0),
      [change({ title: 'A very long title '.repeat(8).trim(), plannedStart: at(22, 1), plannedEnd: at(22, 2) })],
      calendar,
    );
    const text = toICalendar(entries, 'acme', at(20, 0));
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(entries.length);
    expect(text).toContain('SUMMARY:Freeze: Christmas\\, freeze\\; all');
    expect(text).toContain(`DTSTART:20261222T010000Z`);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain(`SUMMARY:CHG0001001 ${'A very long title '.repeat(8).trim()}`);
  });

  it('rejects a blackout that ends before it starts, and duplicate ids', () => {
    expect(changeCalendarSettingsSchema.safeParse({ blackouts: [{ id: 'x', name: 'x', start: at(2, 0), end: at(1, 0) }] }).success).toBe(false);
    expect(changeCalendarSettingsSchema.safeParse({ blackouts: [blackout(), blackout()] }).success).toBe(false);
  });
});
