/**
 * Assignment groups and the tenant's tiers (seed 000 §6.1: front line →
 * regional centre → headquarters; ours: a tier is the target of functional
 * escalation, seed 001 §2.2).
 *
 * Rules:
 *
 * - A group is known by its code (`network-ops`): the code is what
 *   incidents, alert policies and escalation levels store as their
 *   `assignmentGroup`, so it never changes; the name does.
 * - Tiers are the tenant's own, ordered from the front line up; each may
 *   name a default group, the one functional escalation reaches when the
 *   group it escalates from names no `escalatesTo`.
 * - A group escalates only upwards: `escalatesTo` names an active group of
 *   a strictly higher tier. A retired group takes no dispatch and is no
 *   escalation target; its record stays (history keeps naming it).
 * - Members and the manager are user ids, checked only as well-formed ids
 *   (the people module owns who exists).
 * @module
 */
import * as z from 'zod';
import { ConflictError, UnprocessableError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { type BusinessCalendarConfig, businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';

const safeId = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');

/** At most this many members per group: a group is a team, and its record stays one small item. */
export const MAX_GROUP_MEMBERS = 500;
/** At most this many tiers: the seeds know three; a tenant may add a few. */
export const MAX_TIERS = 10;

export const GROUP_STATUSES = ['active', 'retired'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** One tier of support, in the tenant's order (index 0 = front line). */
export const tierSchema = z.strictObject({
  id: safeId,
  name: z.string().trim().min(1).max(100),
  /** The group functional escalation into this tier reaches when the escalating group names none. */
  defaultGroup: safeId.nullable().default(null),
});
export type Tier = z.output<typeof tierSchema>;

/** The tenant's tiers, ordered from the front line up. */
export const groupTiersSchema = z
  .strictObject({ tiers: z.array(tierSchema).min(1).max(MAX_TIERS) })
  .refine((value) => new Set(value.tiers.map((tier) => tier.id)).size === value.tiers.length, { message: 'Tier ids are unique.', path: ['tiers'] });
export type GroupTiers = z.output<typeof groupTiersSchema>;

/** The seed's three tiers (000 §6.1), no default groups until the tenant names them. */
export function defaultGroupTiers(): GroupTiers {
  return {
    tiers: [
      { id: 'front-line', name: 'Front line', defaultGroup: null },
      { id: 'regional', name: 'Regional centre', defaultGroup: null },
      { id: 'headquarters', name: 'Headquarters', defaultGroup: null },
    ],
  };
}

/** The fields a tenant admin sets. */
export interface GroupFields {
  readonly name: string;
  readonly description: string;
  /** User ids. */
  readonly members: readonly string[];
  readonly managerId: string | null;
  /** A tier id of the tenant's tiers. */
  readonly tier: string;
  /** The hours the group works; null: the SLA's calendar in force. */
  readonly calendar: BusinessCalendarConfig | null;
  /** The group functional escalation moves its incidents to; null: the next tier's default group. */
  readonly escalatesTo: string | null;
}

/** An assignment group: its code, the fields a tenant admin sets, and its state. */
export interface AssignmentGroup extends GroupFields {
  readonly code: string;
  readonly tenantId: string;
  readonly status: GroupStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

/** Re-exported so callers validate calendars with the SLA's one schema. */
export { businessCalendarSchema };

/** The position of `tier` in the tenant's order, or -1 when it is not one of them. */
export function tierRank(tiers: GroupTiers, tier: string): number {
  return tiers.tiers.findIndex((candidate) => candidate.id === tier);
}

/**
 * 422 unless `fields` fit the tenant's tiers: a known tier, and an
 * `escalatesTo` that is another active group of a strictly higher tier
 * (`target`: that group as read, or null when it does not exist).
 */
export function checkGroupFields(code: string, fields: GroupFields, tiers: GroupTiers, target: AssignmentGroup | null): void {
  const rank = tierRank(tiers, fields.tier);
  if (rank < 0) {
    throw new UnprocessableError(`Tier '${fields.tier}' is not one of the tenant's tiers.`, {
      errors: [{ field: 'body.tier', message: `Use one of: ${tiers.tiers.map((tier) => tier.id).join(', ')}` }],
    });
  }
  if (fields.escalatesTo === null) return;
  const refuse = (message: string) => new UnprocessableError(message, { errors: [{ field: 'body.escalatesTo', message }] });
  if (fields.escalatesTo === code) throw refuse('A group cannot escalate to itself.');
  if (target?.status !== 'active') throw refuse(`Group '${fields.escalatesTo}' does not exist or is retired.`);
  if (tierRank(tiers, target.tier) <= rank) throw refuse(`Group '${fields.escalatesTo}' is not in a higher tier than '${fields.tier}'.`);
}

/** 422 unless every tier's default group is an active group of that very tier (`groups`: those named, as read). */
export function checkTierDefaults(tiers: GroupTiers, groups: ReadonlyMap<string, AssignmentGroup>): void {
  tiers.tiers.forEach((tier, index) => {
    if (tier.defaultGroup === null) return;
    const group = groups.get(tier.defaultGroup);
    const message =
      group?.status !== 'active'
        ? `Group '${tier.defaultGroup}' does not exist or is retired.`
        : group.tier !== tier.id
          ? `Group '${tier.defaultGroup}' belongs to tier '${group.tier}', not '${tier.id}'.`
          : null;
    if (message) throw new UnprocessableError(message, { errors: [{ field: `body.tiers.${index}.defaultGroup`, message }] });
  });
}

/** 409 when `tiers` drops a tier some group still belongs to (`inUse`: tier ids of the active groups). */
export function checkTiersKeepGroups(tiers: GroupTiers, inUse: ReadonlySet<string>): void {
  const kept = new Set(tiers.tiers.map((tier) => tier.id));
  const dropped = [...inUse].filter((tier) => !kept.has(tier));
  if (dropped.length > 0) throw new ConflictError(`Tiers still used by active groups cannot be removed: ${dropped.join(', ')}.`, { tiers: dropped });
}

/** A new group, version 1. */
export function newGroup(code: string, fields: GroupFields, ctx: { tenantId: string; userId: string; now: string }): AssignmentGroup {
  return {
    code,
    tenantId: ctx.tenantId,
    ...fields,
    members: [...new Set(fields.members)],
    status: 'active',
    createdAt: ctx.now,
    createdBy: ctx.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.userId,
    version: 1,
  };
}

/** The group after a change; 409 for a retired one (retirement is final: make a new group). */
export function changeGroup(group: AssignmentGroup, patch: Partial<GroupFields>, ctx: { userId: string; now: string }): AssignmentGroup {
  if (group.status === 'retired') throw new ConflictError(`Group '${group.code}' is retired.`);
  return {
    ...group,
    ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
    members: [...new Set(patch.members ?? group.members)],
    updatedAt: ctx.now,
    updatedBy: ctx.userId,
    version: group.version + 1,
  };
}

/** The group retired; 409 when it is already, or when a tier still names it as its default group. */
export function retireGroup(group: AssignmentGroup, tiers: GroupTiers, ctx: { userId: string; now: string }): AssignmentGroup {
  if (group.status === 'retired') throw new ConflictError(`Group '${group.code}' is retired already.`);
  const defaultOf = tiers.tiers.find((tier) => tier.defaultGroup === group.code);
  if (defaultOf) throw new ConflictError(`Group '${group.code}' is the default group of tier '${defaultOf.id}'; name another first.`, { tier: defaultOf.id });
  return { ...group, status: 'retired', updatedAt: ctx.now, updatedBy: ctx.userId, version: group.version + 1 };
}

const AUDITED = [
  'name',
  'description',
  'members',
  'managerId',
  'tier',
  'calendar',
  'escalatesTo',
  'status',
] as const satisfies readonly (keyof AssignmentGroup)[];

/** The audit diff between two versions of a group (`before` null: a create). */
export function groupChanges(before: AssignmentGroup | null, after: AssignmentGroup): FieldChange[] {
  return AUDITED.flatMap((field) => {
    const from = before ? before[field] : null;
    return JSON.stringify(from) === JSON.stringify(after[field]) ? [] : [{ field, from, to: after[field] }];
  });
}

/** Whether `actor` may change `group`: tenant admins any, a manager (by role) the group they manage. */
export function mayManageGroup(actor: { userId: string; isTenantAdmin: boolean; isManager: boolean }, group: Pick<AssignmentGroup, 'managerId'>): boolean {
  return actor.isTenantAdmin || (actor.isManager && group.managerId !== null && group.managerId === actor.userId);
}

/**
 * The group functional escalation moves an incident of `from` to ("the
 * next tier up"): `from.escalatesTo`, else the default group of the first
 * higher tier that names one; null at the top (or when no higher tier has a
 * group to take it). Either must be active and, as read now, in a strictly
 * higher tier than `from` (a group's tier may have changed since it was
 * named): escalation never goes sideways or down. `lookup` holds the groups
 * read (its own target and the tiers' default groups).
 */
export function nextTierTarget(from: AssignmentGroup, tiers: GroupTiers, lookup: ReadonlyMap<string, AssignmentGroup>): AssignmentGroup | null {
  const rank = tierRank(tiers, from.tier);
  const higher = (candidate: AssignmentGroup | undefined): candidate is AssignmentGroup =>
    candidate !== undefined && candidate.status === 'active' && candidate.code !== from.code && tierRank(tiers, candidate.tier) > rank;
  const own = from.escalatesTo ? lookup.get(from.escalatesTo) : undefined;
  if (higher(own)) return own;
  for (const tier of tiers.tiers.slice(rank + 1)) {
    const candidate = tier.defaultGroup ? lookup.get(tier.defaultGroup) : undefined;
    if (higher(candidate)) return candidate;
  }
  return null;
}
