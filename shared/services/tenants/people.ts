/**
 * People use cases, shared by the tenant admin's routes and the operator's
 * tenant creation (which invites the first admin): each keeps the identity
 * provider and the user record in step. The identity changes first and is
 * undone when the record's transaction fails (a lost race on the last-admin
 * guard, say), so a token never carries a role the record does not.
 * @module
 */
import { now } from '#shared/clock.js';
import { type IdempotencyClaim, type IdempotentReplay, priorIdempotentResponse } from '#shared/data/commit-mutation.js';
import { checkExpectedVersion } from '#shared/data/mutate.js';
import { activeAdminCount, findPersonByEmail, getPerson, insertPerson, savePerson } from '#shared/data/tenants/person-repository.js';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import type { Actor, TenantRole } from '#shared/domain/roles.js';
import { changeRoles, disablePerson, type Invite, invitePerson, type Person, type ProfilePatch, updateProfile } from '#shared/domain/tenants/person.js';
import { type IdentityProvider, identityProvider } from './identity-provider.js';

/** Invites a person into `actor.tenantId`: identity (with `custom:tenantId` and role groups), then the record. */
export async function invite(
  actor: Actor,
  input: Invite,
  options: { idempotency?: Omit<IdempotencyClaim, 'response'> | undefined; response?: (person: Person) => unknown; identity?: IdentityProvider } = {},
): Promise<{ person: Person } | { replay: IdempotentReplay }> {
  if (options.idempotency) {
    const prior = await priorIdempotentResponse(actor, options.idempotency);
    if (prior) return { replay: prior };
  }
  if (await findPersonByEmail(actor.tenantId, input.email)) throw new ConflictError(`A user with e-mail ${input.email} exists already.`, { field: 'email' });
  const identity = options.identity ?? identityProvider();
  const { userId } = await identity.createUser({ tenantId: actor.tenantId, ...input });
  const { person, changes } = invitePerson(input, { id: userId, tenantId: actor.tenantId }, { userId: actor.userId, now: now().toISOString() });
  try {
    const replay = await insertPerson(
      person,
      actor,
      changes,
      options.idempotency && options.response ? { ...options.idempotency, response: options.response(person) } : undefined,
    );
    if (replay) {
      await identity.deleteUser(userId);
      return { replay };
    }
  } catch (error) {
    await identity.deleteUser(userId).catch(() => undefined);
    throw error;
  }
  return { person };
}

/** A manager named on a profile must be an active user of the same tenant: 422 naming the field otherwise. */
async function requireManager(tenantId: string, managerId: string): Promise<void> {
  const manager = await getPerson(tenantId, managerId);
  if (manager?.status !== 'active') {
    throw new UnprocessableError(`User ${managerId} is not an active user of the tenant.`, {
      errors: [{ field: 'managerId', message: 'Name an active user of the tenant.' }],
    });
  }
}

/** A person of the caller's tenant, or 404 (another tenant's user is simply not there). */
export async function findPerson(actor: Actor, userId: string): Promise<Person> {
  const person = await getPerson(actor.tenantId, userId);
  if (!person) throw new NotFoundError(`User ${userId} was not found.`);
  return person;
}

export async function setRoles(actor: Actor, userId: string, roles: readonly TenantRole[], ifMatch: number | undefined): Promise<Person> {
  const [before, admins] = await Promise.all([findPerson(actor, userId), activeAdminCount(actor.tenantId)]);
  checkExpectedVersion(ifMatch, before.version);
  const { person, changes } = changeRoles(before, roles, actor, admins, now().toISOString());
  const add = person.roles.filter((role) => !before.roles.includes(role));
  const remove = before.roles.filter((role) => !person.roles.includes(role));
  const identity = identityProvider();
  await identity.changeRoles(person.id, add, remove);
  try {
    await savePerson(before, person, actor, { type: 'UserRolesChanged', action: 'change-roles', changes }, ifMatch !== undefined);
  } catch (error) {
    await identity.changeRoles(person.id, remove, add).catch(() => undefined);
    throw error;
  }
  return person;
}

export async function disable(actor: Actor, userId: string, ifMatch: number | undefined): Promise<Person> {
  const [before, admins] = await Promise.all([findPerson(actor, userId), activeAdminCount(actor.tenantId)]);
  checkExpectedVersion(ifMatch, before.version);
  const { person, changes } = disablePerson(before, actor, admins, now().toISOString());
  const identity = identityProvider();
  await identity.disableUser(person.id);
  try {
    await savePerson(before, person, actor, { type: 'UserDisabled', action: 'disable', changes }, ifMatch !== undefined);
  } catch (error) {
    await identity.enableUser(person.id).catch(() => undefined);
    throw error;
  }
  return person;
}

export async function changeProfile(actor: Actor, userId: string, patch: ProfilePatch, ifMatch: number | undefined): Promise<Person> {
  const before = await findPerson(actor, userId);
  checkExpectedVersion(ifMatch, before.version);
  const { person, changes } = updateProfile(before, patch, actor, now().toISOString());
  if (patch.managerId) await requireManager(actor.tenantId, patch.managerId);
  const identity = identityProvider();
  // The manager is the record's alone: the identity provider keeps what a token or an e-mail needs.
  const signInFields = changes.filter(({ field }) => field !== 'managerId');
  const profileOf = (of: Person) => Object.fromEntries(signInFields.map(({ field }) => [field, of[field as keyof Person] ?? null]));
  if (signInFields.length > 0) await identity.updateProfile(person.id, profileOf(person));
  try {
    await savePerson(before, person, actor, { type: 'UserProfileUpdated', action: 'update-profile', changes }, ifMatch !== undefined);
  } catch (error) {
    if (signInFields.length > 0) await identity.updateProfile(person.id, profileOf(before)).catch(() => undefined);
    throw error;
  }
  return person;
}
