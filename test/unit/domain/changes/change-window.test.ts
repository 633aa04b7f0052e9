/**
 * The change window rule (issue 12, item 8): windows in the past are
 * refused at create and submit, naming the field, except the explicit
 * retrospective record of an emergency change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Change, createChange, submitChange } from '#shared/domain/changes/change.js';
import { defaultApprovalSettings } from '#shared/domain/changes/change-approval.js';
import { CHANGE_TYPES, type ChangeType } from '#shared/domain/changes/change-lifecycle.js';
import { type ChangeWindow, checkChangeWindow, WINDOW_START_GRACE_MS } from '#shared/domain/changes/change-window.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { changeInput } from '../../../support/change-fixture.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

/** The field the rule names, or null when it accepts the window. */
function refusal(window: ChangeWindow, now = iso(0)): { field: unknown; fields?: unknown } | null {
  try {
    checkChangeWindow(window, now);
    return null;
  } catch (error) {
    if (!(error instanceof UnprocessableError)) throw error;
    return { field: error.extensions.field, ...(error.extensions.fields ? { fields: error.extensions.fields } : {}) };
  }
}

const window = (type: ChangeType, start: number, end: number, retrospective = false): ChangeWindow => ({
  type,
  plannedStart: iso(start),
  plannedEnd: iso(end),
  retrospective,
});

describe('change window rule', () => {
  it.each([
    { name: 'a window ahead', window: window('normal', HOUR, 2 * HOUR), refused: null },
    { name: 'a window starting now', window: window('standard', 0, HOUR), refused: null },
    { name: 'a start within the grace (client clock behind, time in transit)', window: window('normal', -WINDOW_START_GRACE_MS, HOUR), refused: null },
    { name: 'a start just past the grace', window: window('normal', -WINDOW_START_GRACE_MS - 1, HOUR), refused: { field: 'plannedStart' } },
    { name: 'a window under way', window: window('emergency', -HOUR, HOUR), refused: { field: 'plannedStart' } },
    {
      name: 'a window wholly in the past',
      window: window('normal', -2 * HOUR, -HOUR),
      refused: { field: 'plannedStart', fields: ['plannedStart', 'plannedEnd'] },
    },
    { name: 'an end before the start', window: window('normal', 2 * HOUR, HOUR), refused: { field: 'plannedEnd' } },
    { name: 'an end equal to the start', window: window('normal', HOUR, HOUR), refused: { field: 'plannedEnd' } },
    { name: 'a past end before a past start', window: window('normal', -HOUR, -2 * HOUR), refused: { field: 'plannedEnd' } },
    { name: 'a retrospective emergency change in the past', window: window('emergency', -3 * HOUR, -2 * HOUR, true), refused: null },
    { name: 'a retrospective emergency change still under way', window: window('emergency', -HOUR, HOUR, true), refused: null },
    { name: 'a retrospective emergency change starting now', window: window('emergency', 0, HOUR, true), refused: null },
    { name: 'a retrospective emergency change in the future', window: window('emergency', MINUTE, HOUR, true), refused: { field: 'plannedStart' } },
    { name: 'a retrospective normal change', window: window('normal', -2 * HOUR, -HOUR, true), refused: { field: 'retrospective' } },
    { name: 'a retrospective standard change', window: window('standard', -2 * HOUR, -HOUR, true), refused: { field: 'retrospective' } },
    { name: 'a retrospective window that ends before it starts', window: window('emergency', -HOUR, -2 * HOUR, true), refused: { field: 'plannedEnd' } },
  ])('$name', ({ window: candidate, refused }) => {
    expect(refusal(candidate)).toEqual(refused);
  });

  it('is judged against the time given, not the machine clock', () => {
    const tomorrow = window('normal', 24 * HOUR, 25 * HOUR);
    expect(refusal(tomorrow)).toBeNull();
    expect(refusal(tomorrow, iso(48 * HOUR))).toEqual({ field: 'plannedStart', fields: ['plannedStart', 'plannedEnd'] });
  });

  it('property: a non-retrospective window is accepted exactly when it ends after it starts and starts no earlier than now minus the grace', () => {
    const offset = fc.integer({ min: -48 * HOUR, max: 48 * HOUR });
    fc.assert(
      fc.property(fc.constantFrom(...CHANGE_TYPES), offset, offset, (type, start, end) => {
        const accepted = refusal(window(type, start, end)) === null;
        expect(accepted).toBe(end > start && start >= -WINDOW_START_GRACE_MS);
      }),
    );
  });

  it('property: a retrospective window is accepted exactly for an emergency change that has begun and ends after it starts', () => {
    const offset = fc.integer({ min: -48 * HOUR, max: 48 * HOUR });
    fc.assert(
      fc.property(fc.constantFrom(...CHANGE_TYPES), offset, offset, (type, start, end) => {
        const accepted = refusal(window(type, start, end, true)) === null;
        expect(accepted).toBe(type === 'emergency' && end > start && start <= 0);
      }),
    );
  });
});

describe('change window at create and submit', () => {
  const agent: Actor = { tenantId: 'acme', userId: 'alice', roles: ['agent'] };
  const ctx = (now: number) => ({ actor: agent, now: iso(now) });
  const input = (type: 'normal' | 'emergency', start: number, end: number, retrospective?: boolean) =>
    changeInput(iso(start), iso(end), { type, ...(retrospective === undefined ? {} : { retrospective }) });
  const create = (body: ReturnType<typeof input>, now = 0) => createChange(body, { id: 'C1', number: 'CHG0001001' }, ctx(now), null);

  it('create refuses a past window naming plannedStart, and records the change as not retrospective otherwise', () => {
    expect(() => create(input('normal', -2 * HOUR, -HOUR))).toThrow(
      expect.objectContaining({ kind: 'unprocessable', extensions: expect.objectContaining({ field: 'plannedStart' }) }),
    );
    const created = create(input('normal', HOUR, 2 * HOUR));
    expect(created.change.retrospective).toBe(false);
    expect(created.facts).toEqual({ templateId: null });
  });

  it('create accepts a retrospective emergency change in the past, shows it on the record and in the audit facts', () => {
    const created = create(input('emergency', -3 * HOUR, -2 * HOUR, true));
    expect(created.change).toMatchObject({ retrospective: true, plannedStart: iso(-3 * HOUR) });
    expect(created.facts).toEqual({ templateId: null, retrospective: true });
    const submitted = submitChange(created.change, ctx(MINUTE), [], defaultApprovalSettings());
    expect(submitted.change.status).toBe('authorise');
    expect(submitted.facts).toMatchObject({ retrospective: true });
  });

  it('create refuses a retrospective normal change naming retrospective', () => {
    expect(() => create(input('normal', -3 * HOUR, -2 * HOUR, true))).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: 'retrospective' }) }),
    );
  });

  it('submit refuses a change whose window began while it waited as new', () => {
    const created: Change = create(input('normal', HOUR, 2 * HOUR)).change;
    expect(submitChange(created, ctx(HOUR), [], defaultApprovalSettings()).change.status).toBe('assess');
    expect(() => submitChange(created, ctx(HOUR + WINDOW_START_GRACE_MS + 1), [], defaultApprovalSettings())).toThrow(
      expect.objectContaining({ kind: 'unprocessable', extensions: expect.objectContaining({ field: 'plannedStart' }) }),
    );
  });

  it('submit of a change in the wrong status is still the illegal transition, whatever its window', () => {
    const created = create(input('normal', HOUR, 2 * HOUR)).change;
    const submitted = submitChange(created, ctx(0), [], defaultApprovalSettings()).change;
    expect(() => submitChange(submitted, ctx(3 * HOUR), [], defaultApprovalSettings())).toThrow(expect.objectContaining({ kind: 'illegal-transition' }));
  });
});
