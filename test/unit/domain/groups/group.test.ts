/**
 * Group rules: fields against the tenant's tiers, tier defaults, retiring,
 * who may manage, the audit diff, and the next tier up (table-driven, plus
 * properties: the target is always active and strictly higher).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError } from '#shared/domain/errors.js';
import {
  type AssignmentGroup,
  changeGroup,
  checkGroupFields,
  checkTierDefaults,
  checkTiersKeepGroups,
  defaultGroupTiers,
  type GroupFields,
  type GroupTiers,
  groupChanges,
  mayManageGroup,
  newGroup,
  nextTierTarget,
  retireGroup,
  tierRank,
} from '#shared/domain/groups/group.js';

const NOW = '2026-12-06T10:00:00.000Z';
const ctx = { tenantId: 'acme', userId: 'ada', now: NOW };
const fields = (overrides: Partial<GroupFields> = {}): GroupFields => ({
  name: 'Desk',
  description: '',
  members: [],
  managerId: null,
  tier: 'front-line',
  calendar: null,
  escalatesTo: null,
  ...overrides,
});
const group = (code: string, overrides: Partial<GroupFields> & { status?: 'active' | 'retired' } = {}): AssignmentGroup => {
  const { status, ...rest } = overrides;
  return { ...newGroup(code, fields(rest), ctx), ...(status ? { status } : {}) };
};
const tiers = (defaults: (string | null)[] = [null, null, null]): GroupTiers => ({
  tiers: defaultGroupTiers().tiers.map((tier, index) => ({ ...tier, defaultGroup: defaults[index] ?? null })),
});
const lookup = (...groups: AssignmentGroup[]) => new Map(groups.map((entry) => [entry.code, entry]));
const thrown = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('group fields against the tiers', () => {
  it.each([
    { name: 'a known tier, no target', input: fields(), target: null, field: null },
    { name: 'an unknown tier', input: fields({ tier: 'galaxy' }), target: null, field: 'body.tier' },
    { name: 'itself as target', input: fields({ escalatesTo: 'desk' }), target: group('desk'), field: 'body.escalatesTo' },
    { name: 'a missing target', input: fields({ escalatesTo: 'ghost' }), target: null, field: 'body.escalatesTo' },
    {
      name: 'a retired target',
      input: fields({ escalatesTo: 'old' }),
      target: group('old', { tier: 'regional', status: 'retired' }),
      field: 'body.escalatesTo',
    },
    { name: 'a target in the same tier', input: fields({ escalatesTo: 'peer' }), target: group('peer'), field: 'body.escalatesTo' },
    { name: 'a target in a lower tier', input: fields({ tier: 'regional', escalatesTo: 'low' }), target: group('low'), field: 'body.escalatesTo' },
    { name: 'a target in a higher tier', input: fields({ escalatesTo: 'hq' }), target: group('hq', { tier: 'headquarters' }), field: null },
  ])('$name', ({ input, target, field }) => {
    const error = thrown(() => checkGroupFields('desk', input, tiers(), target));
    if (field === null) expect(error).toBeUndefined();
    else {
      expect(error).toBeInstanceOf(UnprocessableError);
      expect((error as UnprocessableError).extensions.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('tier defaults must be active groups of their own tier', () => {
    const groups = lookup(group('desk'), group('east', { tier: 'regional' }), group('gone', { tier: 'headquarters', status: 'retired' }));
    expect(() => checkTierDefaults(tiers(['desk', 'east', null]), groups)).not.toThrow();
    const wrongTier = thrown(() => checkTierDefaults(tiers(['east', null, null]), groups)) as UnprocessableError;
    expect(wrongTier.extensions.errors).toEqual([expect.objectContaining({ field: 'body.tiers.0.defaultGroup' })]);
    expect(thrown(() => checkTierDefaults(tiers([null, null, 'gone']), groups))).toBeInstanceOf(UnprocessableError);
    expect(thrown(() => checkTierDefaults(tiers([null, 'nobody', null]), groups))).toBeInstanceOf(UnprocessableError);
  });

  it('a tier in use by an active group cannot be dropped', () => {
    expect(thrown(() => checkTiersKeepGroups({ tiers: [{ id: 'front-line', name: 'F', defaultGroup: null }] }, new Set(['regional'])))).toBeInstanceOf(
      ConflictError,
    );
    expect(() => checkTiersKeepGroups(tiers(), new Set(['regional', 'front-line']))).not.toThrow();
  });
});

describe('changing and retiring', () => {
  it('a change bumps the version, de-duplicates members and is audited field by field', () => {
    const before = group('desk');
    const after = changeGroup(before, { members: ['u1', 'u1', 'u2'], name: 'Service desk' }, { userId: 'morgan', now: NOW });
    expect(after).toMatchObject({ members: ['u1', 'u2'], name: 'Service desk', version: 2, updatedBy: 'morgan' });
    expect(groupChanges(before, after).map((change) => change.field)).toEqual(['name', 'members']);
    // A create lists what it sets; nulls are no change from nothing.
    expect(groupChanges(null, before).map((change) => change.field)).toEqual(['name', 'description', 'members', 'tier', 'status']);
  });

  it('retirement is final and refused while a tier names the group its default', () => {
    const desk = group('desk');
    expect(thrown(() => retireGroup(desk, tiers(['desk']), { userId: 'ada', now: NOW }))).toBeInstanceOf(ConflictError);
    const retired = retireGroup(desk, tiers(), { userId: 'ada', now: NOW });
    expect(retired).toMatchObject({ status: 'retired', version: 2 });
    expect(thrown(() => retireGroup(retired, tiers(), { userId: 'ada', now: NOW }))).toBeInstanceOf(ConflictError);
    expect(thrown(() => changeGroup(retired, { name: 'again' }, { userId: 'ada', now: NOW }))).toBeInstanceOf(ConflictError);
  });

  it.each([
    { who: 'a tenant admin', actor: { userId: 'ada', isTenantAdmin: true, isManager: true }, managerId: null, may: true },
    { who: 'the group manager', actor: { userId: 'morgan', isTenantAdmin: false, isManager: true }, managerId: 'morgan', may: true },
    { who: 'the named manager without the manager role', actor: { userId: 'morgan', isTenantAdmin: false, isManager: false }, managerId: 'morgan', may: false },
    { who: 'another manager', actor: { userId: 'mia', isTenantAdmin: false, isManager: true }, managerId: 'morgan', may: false },
    { who: 'a manager of a group with none', actor: { userId: 'mia', isTenantAdmin: false, isManager: true }, managerId: null, may: false },
  ])('$who may manage: $may', ({ actor, managerId, may }) => {
    expect(mayManageGroup(actor, { managerId })).toBe(may);
  });
});

describe('the next tier up', () => {
  const hq = group('hq', { tier: 'headquarters' });
  const east = group('east', { tier: 'regional' });
  const west = group('west', { tier: 'regional' });

  it.each([
    { name: 'its own target first', from: group('desk', { escalatesTo: 'west' }), defaults: [null, 'east', 'hq'], expected: 'west' },
    { name: 'the next tier default without one', from: group('desk'), defaults: [null, 'east', 'hq'], expected: 'east' },
    { name: 'a retired own target falls back to the default', from: group('desk', { escalatesTo: 'gone' }), defaults: [null, 'east', 'hq'], expected: 'east' },
    { name: 'a tier without a default is skipped', from: group('desk'), defaults: [null, null, 'hq'], expected: 'hq' },
    { name: 'regional climbs to headquarters', from: east, defaults: [null, 'east', 'hq'], expected: 'hq' },
    { name: 'nothing above the top tier', from: hq, defaults: [null, 'east', 'hq'], expected: null },
    { name: 'nothing when no higher tier names a group', from: group('desk'), defaults: [null, null, null], expected: null },
  ])('$name', ({ from, defaults, expected }) => {
    const groups = lookup(hq, east, west, group('gone', { tier: 'regional', status: 'retired' }));
    expect(nextTierTarget(from, tiers(defaults), groups)?.code ?? null).toBe(expected);
  });

  it('always names an active group of a strictly higher tier, or none', () => {
    const tierIds = defaultGroupTiers().tiers.map((tier) => tier.id);
    const arbitraryGroup = fc.record({
      code: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      tier: fc.constantFrom(...tierIds),
      status: fc.constantFrom('active' as const, 'retired' as const),
      escalatesTo: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryGroup, { maxLength: 8 }),
        fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: null }), { minLength: 3, maxLength: 3 }),
        arbitraryGroup,
        (others, defaults, from) => {
          const groups = lookup(...others.map((other) => group(other.code, other)));
          const tierSetting = tiers(defaults);
          const source = group(from.code, from);
          const target = nextTierTarget(source, tierSetting, groups);
          if (target === null) return;
          expect(target.status).toBe('active');
          expect(target.code).not.toBe(source.code);
          expect(tierRank(tierSetting, target.tier)).toBeGreaterThan(tierRank(tierSetting, source.tier));
        },
      ),
    );
  });
});
