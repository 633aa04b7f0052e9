/**
 * People rules: only tenant admins manage people, nobody raises their own
 * role, the last active tenant admin stays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, LastTenantAdminError, UnprocessableError } from '#shared/domain/errors.js';
import { type Actor, ROLES, type TenantRole } from '#shared/domain/roles.js';
import { adminDelta, changeRoles, disablePerson, invitePerson, inviteSchema, isTenantAdmin, type Person } from '#shared/domain/tenants/person.js';

const NOW = '2026-12-06T10:00:00.000Z';
const admin: Actor = { tenantId: 'initech', userId: 'bill', roles: ['tenant-admin'] };
const person = (id: string, roles: TenantRole[], status: Person['status'] = 'active'): Person => ({
  ...invitePerson(inviteSchema.parse({ name: id, email: `${id}@initech.example`, roles }), { id, tenantId: 'initech' }, { userId: 'bill', now: NOW }).person,
  status,
});

describe('invitations', () => {
  it('keeps the profile, lower-cases the e-mail and refuses a malformed phone or zone', () => {
    const invite = inviteSchema.parse({
      name: 'Milton',
      email: 'Milton@Initech.example',
      roles: ['agent'],
      phone: '+13125550100',
      timeZone: 'America/Chicago',
    });
    expect(invite.email).toBe('milton@initech.example');
    expect(inviteSchema.safeParse({ name: 'M', email: 'm@x.example', roles: ['agent'], phone: '555-0100' }).success).toBe(false);
    expect(inviteSchema.safeParse({ name: 'M', email: 'm@x.example', roles: ['agent'], timeZone: 'Nowhere/City' }).success).toBe(false);
    expect(inviteSchema.safeParse({ name: 'M', email: 'm@x.example', roles: ['platform-operator'] }).success).toBe(false);
    expect(inviteSchema.safeParse({ name: 'M', email: 'm@x.example', roles: [] }).success).toBe(false);
  });
});

describe('changing roles', () => {
  it.each<[string, Person, TenantRole[], number, unknown]>([
    ['demoting the last admin', person('bill', ['tenant-admin']), ['agent'], 1, LastTenantAdminError],
    ['demoting one of two admins', person('ann', ['tenant-admin']), ['agent'], 2, null],
    ['promoting an agent', person('milton', ['agent']), ['agent', 'manager'], 1, null],
    ['a disabled user', person('gone', ['agent'], 'disabled'), ['manager'], 1, ConflictError],
    ['no change', person('milton', ['agent']), ['agent'], 1, UnprocessableError],
  ])('%s', (_, target, roles, admins, expected) => {
    const act = () => changeRoles(target, roles, admin, admins, NOW);
    if (expected) expect(act).toThrow(expected as never);
    else expect(act().person).toMatchObject({ roles: ROLES.filter((role) => roles.includes(role)), version: 2 });
  });

  it('refuses anyone who is not a tenant admin', () => {
    const manager: Actor = { tenantId: 'initech', userId: 'lumbergh', roles: ['manager'] };
    expect(() => changeRoles(person('milton', ['agent']), ['manager'], manager, 1, NOW)).toThrow(ForbiddenError);
  });

  it('never lets a user raise their own role', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES], { minLength: 1 }), fc.subarray([...ROLES], { minLength: 1 }), (held, wanted) => {
        const self: Actor = { tenantId: 'initech', userId: 'me', roles: held };
        try {
          changeRoles(person('me', held), wanted, self, 2, NOW);
        } catch (error) {
          return error instanceof ForbiddenError || error instanceof UnprocessableError;
        }
        // It went through: then the caller is a tenant admin (holds every role) and nothing was raised.
        return held.includes('tenant-admin');
      }),
    );
  });

  it('never leaves the tenant without an active admin', () => {
    fc.assert(
      fc.property(fc.subarray([...ROLES], { minLength: 1 }), (wanted) => {
        try {
          const { person: after } = changeRoles(person('bill', ['tenant-admin']), wanted, { ...admin, userId: 'other' }, 1, NOW);
          return isTenantAdmin(after);
        } catch (error) {
          return error instanceof LastTenantAdminError || error instanceof UnprocessableError;
        }
      }),
    );
  });
});

describe('disabling', () => {
  it('refuses the last admin and a user disabled already; disables anyone else', () => {
    expect(() => disablePerson(person('bill', ['tenant-admin']), admin, 1, NOW)).toThrow(LastTenantAdminError);
    expect(() => disablePerson(person('gone', ['agent'], 'disabled'), admin, 1, NOW)).toThrow(ConflictError);
    expect(disablePerson(person('milton', ['agent']), admin, 1, NOW).person).toMatchObject({ status: 'disabled', disabledAt: NOW });
  });

  it('counts admin-set moves: in, out, or none', () => {
    expect(adminDelta(null, person('a', ['tenant-admin']))).toBe(1);
    expect(adminDelta(person('a', ['tenant-admin']), person('a', ['agent']))).toBe(-1);
    expect(adminDelta(person('a', ['tenant-admin']), person('a', ['tenant-admin'], 'disabled'))).toBe(-1);
    expect(adminDelta(person('a', ['agent']), person('a', ['manager']))).toBe(0);
  });
});

describe('profile changes', () => {
  it('sets the fields sent, clears a nulled one, and refuses a change of nothing or of the e-mail', async () => {
    const { profilePatchSchema, updateProfile } = await import('#shared/domain/tenants/person.js');
    const milton = { ...person('milton', ['agent']), phone: '+13125550100' };
    const { person: after, changes } = updateProfile(milton, profilePatchSchema.parse({ timeZone: 'Europe/London', phone: null }), admin, NOW);
    expect(after).toMatchObject({ timeZone: 'Europe/London', phone: null, version: 2 });
    expect(changes.map((change) => change.field).sort()).toEqual(['phone', 'timeZone']);
    expect(() => updateProfile(milton, profilePatchSchema.parse({ name: 'milton' }), admin, NOW)).toThrow(UnprocessableError);
    expect(profilePatchSchema.safeParse({ email: 'x@y.example' }).success).toBe(false);
    expect(profilePatchSchema.safeParse({}).success).toBe(false);
  });
});
