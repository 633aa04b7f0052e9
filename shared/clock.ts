/**
 * The time business facts are recorded at: incident changes, audit
 * entries, settings, SLA evaluations. In AWS it is the system clock. The
 * local runtime may move it forward (`POST /local/clock`), so a demo or an
 * acceptance test can stand on a Friday at 17:55 and let two hours pass in
 * a second; the code path is the same, only the time differs.
 *
 * Transport times (token expiry, webhook signatures and retries, caches)
 * stay on the system clock: they concern other parties' clocks.
 * @module
 */

let offsetMs = 0;
const advanceListeners = new Set<() => void>();

/** The current business time. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** How far the clock is ahead of the system clock (0 in AWS). */
export function clockOffsetMs(): number {
  return offsetMs;
}

/**
 * Moves the clock forward to `to` (the local runtime only). It never goes
 * back: records must stay in time order, and a wait on this clock must
 * never find its wake-up already behind it.
 */
export function advanceClockTo(to: Date): void {
  const offset = to.getTime() - Date.now();
  if (offset < offsetMs) throw new RangeError(`The clock only moves forward: it is already ${now().toISOString()}.`);
  offsetMs = offset;
  for (const listener of advanceListeners) listener();
}

/**
 * Calls `listener` after every move of the clock; answers the unsubscribe.
 * The local runtime's waits (workflow Wait states, schedules, human-task
 * timeouts) re-check their due time on it, so a jump wakes what fell due.
 */
export function onClockAdvanced(listener: () => void): () => void {
  advanceListeners.add(listener);
  return () => advanceListeners.delete(listener);
}
