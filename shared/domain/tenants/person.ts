/**
 * The people of a tenant: who they are (the profile notifications and
 * on-call use) and which tenant roles they hold, with the rules a tenant
 * admin works under:
 *
 * - only tenant admins invite people, change roles and disable users;
 * - nobody raises their own role (a tenant admin already holds every
 *   tenant role, so in practice: nobody grants themselves a role they lack);
 * - the tenant's last active tenant admin is neither demoted nor disabled.
 * @module
 */
import * as z from 'zod';
import { ConflictError, ForbiddenError, LastTenantAdminError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { type Actor, hasRole, ROLES, type TenantRole } from '#shared/domain/roles.js';
import { isValidTimeZone } from '#shared/domain/sla/business-calendar.js';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const Roles = z
  .array(z.enum(ROLES))
  .min(1)
  .max(ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, 'Each role once');

/** The profile fields a person has; e-mail is the sign-in name. */
export const profileSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).toLowerCase(),
  phone: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/, 'E.164, e.g. +442071234567')
    .nullable()
    .default(null),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'A BCP 47 language tag, e.g. en-GB')
    .nullable()
    .default(null),
  timeZone: z.string().max(64).refine(isValidTimeZone, 'Unknown IANA time zone.').nullable().default(null),
});
export type Profile = z.output<typeof profileSchema>;

export const inviteSchema = profileSchema.extend({ roles: Roles });

/** What a profile change may set: the e-mail is the sign-in name and changes only through the identity provider's own verified flow. */
export const profilePatchSchema = z
  .strictObject({
    name: profileSchema.shape.name.optional(),
    phone: profileSchema.shape.phone.unwrap().unwrap().nullable().optional(),
    locale: profileSchema.shape.locale.unwrap().unwrap().nullable().optional(),
    timeZone: profileSchema.shape.timeZone.unwrap().unwrap().nullable().optional(),
    /** Their line manager, a user of the tenant: the one who decides requests under a "requester's manager" approval. */
    managerId: z.string().min(1).max(128).nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change');
export type ProfilePatch = z.output<typeof profilePatchSchema>;
export type Invite = z.output<typeof inviteSchema>;

export interface Person extends Profile {
  /** The identity provider's subject (Cognito `sub`): the user id in every token and record. */
  readonly id: string;
  readonly tenantId: string;
  readonly roles: readonly TenantRole[];
  readonly status: UserStatus;
  readonly invitedAt: string;
  readonly invitedBy: string;
  readonly disabledAt: string | null;
  /** Their line manager (a user of the tenant); absent on records from before it was kept, which means none. */
  readonly managerId?: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

/** A change of a person and what it changed. */
export interface PersonChange {
  readonly person: Person;
  readonly changes: FieldChange[];
}

interface By {
  readonly userId: string;
  readonly now: string;
}

export function requirePeopleAdmin(actor: Pick<Actor, 'roles'>): void {
  if (!hasRole(actor, 'tenant-admin')) throw new ForbiddenError('People are managed by tenant admins.');
}

export function isTenantAdmin(person: Pick<Person, 'roles' | 'status'>): boolean {
  return person.status === 'active' && person.roles.includes('tenant-admin');
}

/** A newly invited person. The first admin of a new tenant is invited by the operator. */
export function invitePerson(invite: Invite, identity: { id: string; tenantId: string }, by: By): PersonChange {
  const person: Person = {
    ...invite,
    ...identity,
    roles: [...invite.roles],
    status: 'active',
    invitedAt: by.now,
    invitedBy: by.userId,
    disabledAt: null,
    managerId: null,
    updatedAt: by.now,
    updatedBy: by.userId,
    version: 1,
  };
  const changes = (['name', 'email', 'phone', 'locale', 'timeZone', 'roles'] as const).map((field) => ({ field, from: null, to: person[field] }));
  return { person, changes };
}

/**
 * New roles for `person`. `activeAdmins` is how many active tenant admins
 * the tenant has now (the guard item's count), for the last-admin rule.
 */
export function changeRoles(person: Person, roles: readonly TenantRole[], actor: Actor, activeAdmins: number, now: string): PersonChange {
  requirePeopleAdmin(actor);
  if (person.status !== 'active') throw new ConflictError(`User ${person.id} is disabled: enable them before changing their roles.`);
  if (person.id === actor.userId) {
    const raised = roles.filter((role) => !hasRole(actor, role));
    if (raised.length > 0) throw new ForbiddenError(`You cannot raise your own role (${raised.join(', ')}).`, { raised });
  }
  const demotesAdmin = isTenantAdmin(person) && !roles.includes('tenant-admin');
  if (demotesAdmin && activeAdmins <= 1) throw new LastTenantAdminError(person.id);
  const sorted = ROLES.filter((role) => roles.includes(role));
  if (JSON.stringify(sorted) === JSON.stringify(ROLES.filter((role) => person.roles.includes(role)))) {
    throw new UnprocessableError('The user holds exactly these roles already.');
  }
  const after: Person = { ...person, roles: sorted, updatedAt: now, updatedBy: actor.userId, version: person.version + 1 };
  return { person: after, changes: [{ field: 'roles', from: person.roles, to: sorted }] };
}

/** A profile change (tenant admins): 422 when it changes nothing. */
export function updateProfile(person: Person, patch: ProfilePatch, actor: Actor, now: string): PersonChange {
  requirePeopleAdmin(actor);
  if (patch.managerId === person.id) throw new UnprocessableError('A person cannot be their own manager.', { field: 'managerId' });
  const fields = (['name', 'phone', 'locale', 'timeZone', 'managerId'] as const).filter(
    (field) => patch[field] !== undefined && patch[field] !== (person[field] ?? null),
  );
  if (fields.length === 0) throw new UnprocessableError('The patch changes nothing.');
  const after: Person = {
    ...person,
    ...Object.fromEntries(fields.map((field) => [field, patch[field]])),
    updatedAt: now,
    updatedBy: actor.userId,
    version: person.version + 1,
  };
  return { person: after, changes: fields.map((field) => ({ field, from: person[field] ?? null, to: after[field] ?? null })) };
}

/** Disables `person`: they can no longer sign in; their record and history stay. */
export function disablePerson(person: Person, actor: Actor, activeAdmins: number, now: string): PersonChange {
  requirePeopleAdmin(actor);
  if (person.status === 'disabled') throw new ConflictError(`User ${person.id} is disabled already.`);
  if (isTenantAdmin(person) && activeAdmins <= 1) throw new LastTenantAdminError(person.id);
  const after: Person = { ...person, status: 'disabled', disabledAt: now, updatedAt: now, updatedBy: actor.userId, version: person.version + 1 };
  return { person: after, changes: [{ field: 'status', from: 'active', to: 'disabled' }] };
}

/** Whether a change moves the person into or out of the active tenant admins: +1, -1 or 0. */
export function adminDelta(before: Pick<Person, 'roles' | 'status'> | null, after: Pick<Person, 'roles' | 'status'>): -1 | 0 | 1 {
  const was = before ? isTenantAdmin(before) : false;
  const is = isTenantAdmin(after);
  return was === is ? 0 : is ? 1 : -1;
}
