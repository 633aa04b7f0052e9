/**
 * Availability arithmetic: outages clipped to the period and merged where
 * they overlap (a service down twice at once was down once), availability
 * %, MTTR and MTBF, table-driven, plus properties over random outages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityReport, mergeOutages, type Outage } from '#shared/domain/continuity/availability.js';

/** 30 days of November 2026. */
const period = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const MONTH_MINUTES = 30 * 24 * 60;
const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute)).toISOString();
const outage = (start: string, end: string | null): Outage => ({ start, end });
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('availabilityReport', () => {
  it.each([
    { name: 'no outage', outages: [], downtime: 0, percent: 100, count: 0, mttr: null, mtbf: null },
    { name: 'one hour', outages: [outage(at(3, 10), at(3, 11))], downtime: 60, percent: 99.861, count: 1, mttr: 60, mtbf: MONTH_MINUTES - 60 },
    {
      name: 'two apart',
      outages: [outage(at(3, 10), at(3, 11)), outage(at(20, 8), at(20, 8, 30))],
      downtime: 90,
      percent: 99.792,
      count: 2,
      mttr: 45,
      mtbf: (MONTH_MINUTES - 90) / 2,
    },
    {
      name: 'overlapping counted once',
      outages: [outage(at(3, 10), at(3, 12)), outage(at(3, 11), at(3, 13))],
      downtime: 180,
      percent: 99.583,
      count: 1,
      mttr: 180,
      mtbf: MONTH_MINUTES - 180,
    },
    {
      name: 'one inside another',
      outages: [outage(at(3, 10), at(3, 14)), outage(at(3, 11), at(3, 12))],
      downtime: 240,
      percent: 99.444,
      count: 1,
      mttr: 240,
      mtbf: MONTH_MINUTES - 240,
    },
    {
      name: 'touching merge',
      outages: [outage(at(3, 10), at(3, 11)), outage(at(3, 11), at(3, 12))],
      downtime: 120,
      percent: 99.722,
      count: 1,
      mttr: 120,
      mtbf: MONTH_MINUTES - 120,
    },
    {
      name: 'started before the period: clipped',
      outages: [outage('2026-10-31T23:00:00.000Z', at(1, 1))],
      downtime: 60,
      percent: 99.861,
      count: 1,
      mttr: 60,
      mtbf: MONTH_MINUTES - 60,
    },
    {
      name: 'still down: counted to the end',
      outages: [outage(at(30, 23), null)],
      downtime: 60,
      percent: 99.861,
      count: 1,
      mttr: 60,
      mtbf: MONTH_MINUTES - 60,
    },
    {
      name: 'outside the period: ignored',
      outages: [outage('2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z')],
      downtime: 0,
      percent: 100,
      count: 0,
      mttr: null,
      mtbf: null,
    },
    {
      name: '43 minutes: exactly 99.9 %',
      outages: [outage(at(5, 0), plus(at(5, 0), 43.2))],
      downtime: 43.2,
      percent: 99.9,
      count: 1,
      mttr: 43.2,
      mtbf: MONTH_MINUTES - 43.2,
    },
  ])('$name', ({ outages, downtime, percent, count, mttr, mtbf }) => {
    const report = availabilityReport(outages, period);
    expect(report.periodMinutes).toBe(MONTH_MINUTES);
    expect(report.downtimeMinutes).toBeCloseTo(downtime, 6);
    expect(report.availabilityPercent).toBe(percent);
    expect(report.outages).toBe(count);
    if (mttr === null) expect(report.mttrMinutes).toBeNull();
    else expect(report.mttrMinutes).toBeCloseTo(mttr, 6);
    if (mtbf === null) expect(report.mtbfMinutes).toBeNull();
    else expect(report.mtbfMinutes).toBeCloseTo(mtbf, 6);
  });

  it('target: 99.9 % by default, met at the boundary, missed just below', () => {
    expect(availabilityReport([outage(at(5, 0), plus(at(5, 0), 43.2))], period)).toMatchObject({ targetPercent: 99.9, targetMet: true });
    expect(availabilityReport([outage(at(5, 0), plus(at(5, 0), 43.3))], period)).toMatchObject({ targetPercent: 99.9, targetMet: false });
    expect(availabilityReport([outage(at(5, 0), at(5, 1))], period, 99.5)).toMatchObject({ targetPercent: 99.5, targetMet: true });
  });

  it('an empty or backwards period is refused', () => {
    expect(() => availabilityReport([], { from: period.to, to: period.from })).toThrow(RangeError);
    expect(() => availabilityReport([], { from: period.from, to: period.from })).toThrow(RangeError);
  });
});

describe('mergeOutages (properties)', () => {
  const minute = 60_000;
  const start = Date.parse(period.from);
  const arbitraryOutage = fc
    .tuple(fc.integer({ min: -2000, max: MONTH_MINUTES + 2000 }), fc.integer({ min: 0, max: 5000 }))
    .map(([offset, length]) => outage(new Date(start + offset * minute).toISOString(), new Date(start + (offset + length) * minute).toISOString()));

  it('merged outages are disjoint, ordered, inside the period, and cover exactly the minutes some outage covers', () => {
    fc.assert(
      fc.property(fc.array(arbitraryOutage, { maxLength: 12 }), (outages) => {
        const merged = mergeOutages(outages, period);
        for (let i = 0; i < merged.length; i++) {
          const current = merged[i] as { start: number; end: number };
          expect(current.start).toBeGreaterThanOrEqual(start);
          expect(current.end).toBeLessThanOrEqual(Date.parse(period.to));
          if (i > 0) expect(current.start).toBeGreaterThan((merged[i - 1] as { end: number }).end);
        }
        // Sample every minute: down in the merge iff down in some outage.
        for (let m = 0; m < MONTH_MINUTES; m += 97) {
          const t = start + m * minute + 1;
          const inAny = outages.some((o) => Date.parse(o.start) <= t && t < Date.parse(o.end as string));
          expect(merged.some((o) => o.start <= t && t < o.end)).toBe(inAny);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('order of the outages does not matter, and duplicating one changes nothing', () => {
    fc.assert(
      fc.property(fc.array(arbitraryOutage, { minLength: 1, maxLength: 8 }), (outages) => {
        const report = availabilityReport(outages, period);
        expect(availabilityReport([...outages].reverse(), period)).toEqual(report);
        expect(availabilityReport([...outages, outages[0] as Outage], period)).toEqual(report);
      }),
    );
  });
});
