/**
 * The change window rule: a change is planned ahead, so its window must end
 * after it starts and must not have begun when the change is raised or
 * submitted. The one exception is the retrospective record of an emergency
 * change (ITIL's "retrospective approval": the fix went in first, the
 * record follows): it must say so (`retrospective: true`), only an
 * emergency change may, and its window must then have begun.
 *
 * `now` is the business time (`shared/clock.ts`), so the local clock
 * applies. A start up to {@link WINDOW_START_GRACE_MS} in the past is still
 * "now": a client that plans "from now" loses a few seconds in transit and
 * its clock may run a little behind ours.
 * @module
 */
import { UnprocessableError } from '#shared/domain/errors.js';
import type { ChangeType } from './change-lifecycle.js';

/** How far in the past a planned start may lie and still count as now. */
export const WINDOW_START_GRACE_MS = 60_000;

/** What the rule reads of a change (or of a request to raise one). */
export interface ChangeWindow {
  readonly type: ChangeType;
  /** ISO-8601 instants. */
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly retrospective: boolean;
}

/**
 * Throws {@link UnprocessableError} naming the field (`plannedEnd`,
 * `plannedStart` or `retrospective`) when `window` may not be raised or
 * submitted at `now`; returns normally when it may.
 */
export function checkChangeWindow(window: ChangeWindow, now: string): void {
  const start = Date.parse(window.plannedStart);
  const end = Date.parse(window.plannedEnd);
  const at = Date.parse(now);
  if (!(end > start)) throw new UnprocessableError('plannedEnd must be after plannedStart.', { field: 'plannedEnd' });
  if (window.retrospective) {
    if (window.type !== 'emergency') {
      throw new UnprocessableError(`Only an emergency change may be recorded retrospectively; this is a ${window.type} change.`, { field: 'retrospective' });
    }
    if (start > at) {
      throw new UnprocessableError(
        `A retrospective record is of a change already under way, but plannedStart (${window.plannedStart}) is after now (${now}).`,
        { field: 'plannedStart' },
      );
    }
    return;
  }
  if (start < at - WINDOW_START_GRACE_MS) {
    const which = end <= at ? 'The whole window is' : 'plannedStart is';
    throw new UnprocessableError(
      `${which} in the past (now ${now}): plan the change ahead, or record an emergency change already made with retrospective: true.`,
      { field: 'plannedStart', ...(end <= at ? { fields: ['plannedStart', 'plannedEnd'] } : {}) },
    );
  }
}
