/**
 * Availability of a service over a period, from the outages of its major
 * incidents (start → service restored): availability %, MTTR and MTBF.
 * Overlapping outages (two major incidents on one service at once) are
 * counted once: the service was down, not down twice.
 * @module
 */

/** One outage: an instant it started and, once restored, an instant it ended. */
export interface Outage {
  readonly start: string;
  /** `null` while the service is still down: counted until the end of the period. */
  readonly end: string | null;
}

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The default availability target of a service (DOMAIN.md: ≥ 99.9 %). */
export const DEFAULT_AVAILABILITY_TARGET = 99.9;

export interface AvailabilityReport {
  readonly periodMinutes: number;
  readonly downtimeMinutes: number;
  /** Rounded to three decimals (99.999 %), so a five-nines target can be told from a miss. */
  readonly availabilityPercent: number;
  readonly targetPercent: number;
  readonly targetMet: boolean;
  /** Merged outages inside the period. */
  readonly outages: number;
  /** Mean time to restore: downtime / outages; `null` without outages. */
  readonly mttrMinutes: number | null;
  /** Mean time between failures: uptime / outages; `null` without outages. */
  readonly mtbfMinutes: number | null;
}

const MINUTE = 60_000;

/** The outages clipped to the period and merged where they overlap or touch, in time order (epoch ms). */
export function mergeOutages(outages: readonly Outage[], period: Period): { start: number; end: number }[] {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const clipped = outages
    .map((outage) => ({ start: Math.max(from, Date.parse(outage.start)), end: Math.min(to, outage.end === null ? to : Date.parse(outage.end)) }))
    .filter((outage) => outage.end > outage.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const outage of clipped) {
    const last = merged.at(-1);
    if (last && outage.start <= last.end) last.end = Math.max(last.end, outage.end);
    else merged.push({ ...outage });
  }
  return merged;
}

/** Availability % = (period − downtime) / period; MTTR and MTBF from the same merged outages. */
export function availabilityReport(outages: readonly Outage[], period: Period, targetPercent = DEFAULT_AVAILABILITY_TARGET): AvailabilityReport {
  const periodMs = Date.parse(period.to) - Date.parse(period.from);
  if (!(periodMs > 0)) throw new RangeError('The period must end after it starts.');
  const merged = mergeOutages(outages, period);
  const downtimeMs = merged.reduce((sum, outage) => sum + (outage.end - outage.start), 0);
  const availabilityPercent = Math.round(((periodMs - downtimeMs) / periodMs) * 100_000) / 1000;
  const count = merged.length;
  return {
    periodMinutes: periodMs / MINUTE,
    downtimeMinutes: downtimeMs / MINUTE,
    availabilityPercent,
    targetPercent,
    // On the unrounded downtime (with a float tolerance), so rounding never turns a miss into a pass.
    targetMet: downtimeMs <= periodMs * (1 - targetPercent / 100) + 1e-6,
    outages: count,
    mttrMinutes: count ? downtimeMs / count / MINUTE : null,
    mtbfMinutes: count ? (periodMs - downtimeMs) / count / MINUTE : null,
  };
}
