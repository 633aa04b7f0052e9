/**
 * Assignment groups (audited, versioned, with events, counted against the
 * tenant's groups quota) and the tenant's tiers (a versioned setting).
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '#shared/data/batch-get.js';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { queryPage } from '#shared/data/query-page.js';
import { getSetting, type Setting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import { quotaClaim, quotaRelease } from '#shared/data/tenant-limits.js';
import { type AssignmentGroup, defaultGroupTiers, type GroupTiers, groupChanges, nextTierTarget } from '#shared/domain/groups/group.js';
import type { Actor } from '#shared/domain/roles.js';
import { type EscalationTargets, NO_ESCALATION_TARGETS } from '#shared/domain/sla/escalation-policy.js';
import type { EventType } from '#shared/events/catalogue.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { GROUP_PREFIX, groupKey, groupsPartition, groupTiersKey } from './keys.js';

type GroupEventType = Extract<EventType, 'GroupCreated' | 'GroupUpdated' | 'GroupRetired'>;

function item(group: AssignmentGroup) {
  return { ...groupKey(group.tenantId, group.code), entity: 'AssignmentGroup', ...group };
}

/** Writes a new group; 409 when the code is taken, 422 past the groups quota. */
export async function insertGroup(group: AssignmentGroup, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  const changes = groupChanges(null, group);
  return commitMutation({
    actor,
    recordType: 'AssignmentGroup',
    recordId: group.code,
    write: { kind: 'create', item: item(group) },
    audit: { action: 'create', version: group.version, changes, facts: {} },
    event: recordEvent('GroupCreated', group, actor, { changes }),
    quota: await quotaClaim(group.tenantId, 'groups'),
    idempotency,
  });
}

/** Writes a changed (or retired) group if `before.version` is still current; a retirement gives its quota unit back. */
export async function saveGroup(before: AssignmentGroup, after: AssignmentGroup, actor: Actor, ifMatch: boolean): Promise<void> {
  const retiring = before.status === 'active' && after.status === 'retired';
  const type: GroupEventType = retiring ? 'GroupRetired' : 'GroupUpdated';
  const changes = groupChanges(before, after);
  await commitMutation({
    actor,
    recordType: 'AssignmentGroup',
    recordId: after.code,
    write: { kind: 'replace', item: item(after), expectedVersion: before.version, ifMatch },
    audit: { action: retiring ? 'retire' : 'update', version: after.version, changes, facts: {} },
    event: recordEvent(type, after, actor, { changes }),
    quota: retiring ? quotaRelease(after.tenantId, 'groups') : undefined,
  });
}

/** The group `code` of the tenant (retired ones too), or null: one consistent GetItem. */
export async function getGroup(tenantId: string, code: string): Promise<AssignmentGroup | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: groupKey(tenantId, code), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<AssignmentGroup>(result.Item) : null;
}

/** The groups among `codes` that exist (one BatchGetItem per 100), by code. */
export async function getGroups(tenantId: string, codes: readonly string[]): Promise<Map<string, AssignmentGroup>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const items = await batchGetItems(unique.map((code) => groupKey(tenantId, code)));
  return new Map(items.map((found) => withoutStorageAttributes<AssignmentGroup>(found)).map((group) => [group.code, group]));
}

/**
 * A page of the tenant's groups, by code, optionally only one tier or
 * status (a filter on the one small partition: a page may hold fewer than
 * `limit`; follow `nextCursor`).
 */
export async function listGroups(
  tenantId: string,
  limit: number,
  cursor?: string,
  filter: { readonly tier?: string | undefined; readonly status?: string | undefined } = {},
): Promise<Page<AssignmentGroup>> {
  const pk = groupsPartition(tenantId);
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': pk, ':prefix': GROUP_PREFIX };
  if (filter.tier !== undefined) {
    conditions.push('#tier = :tier');
    names['#tier'] = 'tier';
    values[':tier'] = filter.tier;
  }
  if (filter.status !== undefined) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  const page = await queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      Limit: limit,
      partition: { attribute: 'PK', value: pk },
    },
    cursor,
  );
  return { items: page.items.map((found) => withoutStorageAttributes<AssignmentGroup>(found)), nextCursor: page.nextCursor };
}

const GROUP_TIERS: SettingKind<GroupTiers> = {
  name: 'groupTiers',
  key: groupTiersKey,
  eventType: 'GroupTiersUpdated',
  complete: (stored) => (stored?.tiers ? (stored as GroupTiers) : defaultGroupTiers()),
};

export function getGroupTiers(tenantId: string): Promise<Setting<GroupTiers>> {
  return getSetting(GROUP_TIERS, tenantId);
}

export function saveGroupTiers(actor: Actor, current: Setting<GroupTiers>, tiers: GroupTiers, now: string, ifMatch: boolean): Promise<Setting<GroupTiers>> {
  return saveSetting(GROUP_TIERS, actor, current, tiers, now, ifMatch);
}

/** Pages read at most when every group is needed (the largest groups quota, 1 000, in pages of 100). */
const MAX_GROUP_PAGES = 10;

/** Every group of the tenant (bounded by the groups quota): the tiers check reads them all. */
export async function listAllGroups(tenantId: string): Promise<AssignmentGroup[]> {
  const groups: AssignmentGroup[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_GROUP_PAGES; page++) {
    const result = await listGroups(tenantId, 100, cursor);
    groups.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return groups;
}

/**
 * What escalation needs to know about the incident's group `code`: the
 * group of the next tier up ({@link nextTierTarget}) and its manager. Two
 * GetItems (the group, the tiers) and one BatchGetItem of the candidates
 * (its own target and the higher tiers' default groups); nothing when the
 * incident has no group.
 */
export async function escalationTargetsFor(tenantId: string, code: string | null): Promise<EscalationTargets> {
  if (code === null) return NO_ESCALATION_TARGETS;
  const [group, tiers] = await Promise.all([getGroup(tenantId, code), getGroupTiers(tenantId)]);
  if (!group) return NO_ESCALATION_TARGETS;
  const candidates = [group.escalatesTo, ...tiers.value.tiers.map((tier) => tier.defaultGroup)].filter((candidate): candidate is string => candidate !== null);
  const target = nextTierTarget(group, tiers.value, await getGroups(tenantId, candidates));
  return { nextTierGroup: target?.code ?? null, groupManager: group.managerId };
}
