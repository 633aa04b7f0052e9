/**
 * The use cases of group administration, shared by the HTTP handlers, the
 * demo seeding and the free-text migration: each reads what its rule needs
 * (the tenant's tiers, the escalation target), applies the domain rule and
 * writes through the one mutation path.
 * @module
 */
import { getGroup, getGroups, getGroupTiers, listAllGroups, saveGroup, saveGroupTiers } from '#shared/data/groups/group-repository.js';
import { checkExpectedVersion, mutateRecord } from '#shared/data/mutate.js';
import type { Setting } from '#shared/data/settings-repository.js';
import { ForbiddenError, NotFoundError } from '#shared/domain/errors.js';
import {
  type AssignmentGroup,
  changeGroup,
  checkGroupFields,
  checkTierDefaults,
  checkTiersKeepGroups,
  type GroupFields,
  type GroupTiers,
  mayManageGroup,
  newGroup,
  retireGroup,
} from '#shared/domain/groups/group.js';
import { type Actor, hasRole } from '#shared/domain/roles.js';

/** The group `code` of the caller's tenant; 404 when there is none. */
export async function findGroup(tenantId: string, code: string): Promise<AssignmentGroup> {
  const group = await getGroup(tenantId, code);
  if (!group) throw new NotFoundError(`Group ${code} was not found.`);
  return group;
}

async function escalationTarget(tenantId: string, fields: Pick<GroupFields, 'escalatesTo'>): Promise<AssignmentGroup | null> {
  return fields.escalatesTo ? getGroup(tenantId, fields.escalatesTo) : null;
}

/**
 * A new group checked against the tenant's tiers and its escalation target
 * (422 otherwise), not yet written: the caller builds its answer from it,
 * then writes it with `insertGroup` (409 for a taken code, 422 past the quota).
 */
export async function checkedNewGroup(actor: Actor, code: string, fields: GroupFields, now: string): Promise<AssignmentGroup> {
  const [tiers, target] = await Promise.all([getGroupTiers(actor.tenantId), escalationTarget(actor.tenantId, fields)]);
  checkGroupFields(code, fields, tiers.value, target);
  return newGroup(code, fields, { tenantId: actor.tenantId, userId: actor.userId, now });
}

/** Changes a group (tenant admins, or its manager: 403 for another manager). */
export async function updateGroup(actor: Actor, code: string, patch: Partial<GroupFields>, now: string, ifMatch: number | undefined): Promise<AssignmentGroup> {
  const tiers = await getGroupTiers(actor.tenantId);
  const { mutation } = await mutateRecord({
    load: () => findGroup(actor.tenantId, code),
    expectedVersion: ifMatch,
    apply: async (current) => {
      if (!mayManageGroup({ userId: actor.userId, isTenantAdmin: hasRole(actor, 'tenant-admin'), isManager: hasRole(actor, 'manager') }, current)) {
        throw new ForbiddenError(`Only tenant admins or the group's manager can change group ${code}.`);
      }
      const next = changeGroup(current, patch, { userId: actor.userId, now });
      checkGroupFields(code, next, tiers.value, await escalationTarget(actor.tenantId, next));
      return { current, next };
    },
    save: ({ current, next }, _record, named) => saveGroup(current, next, actor, named),
  });
  return mutation.next;
}

/** Retires a group (409 while a tier names it as default). */
export async function retire(actor: Actor, code: string, now: string, ifMatch: number | undefined): Promise<AssignmentGroup> {
  const tiers = await getGroupTiers(actor.tenantId);
  const { mutation } = await mutateRecord({
    load: () => findGroup(actor.tenantId, code),
    expectedVersion: ifMatch,
    apply: (current) => {
      if (!hasRole(actor, 'tenant-admin')) throw new ForbiddenError(`Only tenant admins can retire group ${code}.`);
      return { current, next: retireGroup(current, tiers.value, { userId: actor.userId, now }) };
    },
    save: ({ current, next }, _record, named) => saveGroup(current, next, actor, named),
  });
  return mutation.next;
}

/** Replaces the tiers: default groups must be active groups of their tier; tiers in use stay. */
export async function replaceTiers(actor: Actor, tiers: GroupTiers, now: string, ifMatch: number | undefined): Promise<Setting<GroupTiers>> {
  const current = await getGroupTiers(actor.tenantId);
  const defaults = tiers.tiers.flatMap((tier) => (tier.defaultGroup ? [tier.defaultGroup] : []));
  const [named, all] = await Promise.all([getGroups(actor.tenantId, defaults), listAllGroups(actor.tenantId)]);
  checkTierDefaults(tiers, named);
  checkTiersKeepGroups(tiers, new Set(all.filter((group) => group.status === 'active').map((group) => group.tier)));
  checkExpectedVersion(ifMatch, current.version);
  return saveGroupTiers(actor, current, tiers, now, ifMatch !== undefined);
}
