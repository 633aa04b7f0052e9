/**
 * People of a tenant: the user records (profile, roles, status; audited,
 * versioned, with events) and the set of active tenant admins that guards
 * the last-admin rule inside each write's transaction.
 * @module
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay, type RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { querySummaryPage } from '#shared/data/query-page.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import { adminDelta, type Person } from '#shared/domain/tenants/person.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { tenantAdminsKey, userKey, userList } from './keys.js';

type UserEventType = 'UserInvited' | 'UserRolesChanged' | 'UserProfileUpdated' | 'UserDisabled';

/** What a people list shows. */
export type PersonSummary = Pick<Person, 'id' | 'name' | 'email' | 'roles' | 'status'>;

function item(person: Person) {
  const summary: PersonSummary = { id: person.id, name: person.name, email: person.email, roles: person.roles, status: person.status };
  return {
    ...userKey(person.tenantId, person.id),
    entity: 'User',
    GSI1PK: userList(person.tenantId).partitionKey,
    QSK: `${person.email}#${person.id}`,
    summary,
    ...person,
  };
}

/**
 * The change to the admin set a write makes: joining it, or leaving it
 * only while someone else stays (the condition fails the whole write
 * otherwise: 409, and nothing is written).
 */
function adminSetUpdate(before: Person | null, after: Person): RelatedUpdate[] {
  const delta = adminDelta(before, after);
  if (delta === 0) return [];
  const key = tenantAdminsKey(after.tenantId);
  if (delta === 1) {
    return [
      {
        key,
        update: {
          UpdateExpression: 'ADD admins :id SET entity = :entity',
          ExpressionAttributeValues: { ':id': new Set([after.id]), ':entity': 'TenantAdmins' },
        },
      },
    ];
  }
  return [
    {
      key,
      update: {
        UpdateExpression: 'DELETE admins :id',
        ConditionExpression: 'contains(admins, :member) AND size(admins) > :one',
        ExpressionAttributeValues: { ':id': new Set([after.id]), ':member': after.id, ':one': 1 },
      },
    },
  ];
}

function eventOf(type: UserEventType, person: Person, actor: Actor, changes: FieldChange[]) {
  return recordEvent(type, person, actor, { userId: person.id, changes });
}

export async function insertPerson(person: Person, actor: Actor, changes: FieldChange[], idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'User',
    recordId: person.id,
    write: { kind: 'create', item: item(person) },
    relatedUpdates: adminSetUpdate(null, person),
    audit: { action: 'invite', version: person.version, changes, facts: {} },
    event: eventOf('UserInvited', person, actor, changes),
    idempotency,
  });
}

export async function savePerson(
  before: Person,
  after: Person,
  actor: Actor,
  change: { type: UserEventType; action: string; changes: FieldChange[] },
  ifMatch: boolean,
): Promise<void> {
  await commitMutation({
    actor,
    recordType: 'User',
    recordId: after.id,
    write: { kind: 'replace', item: item(after), expectedVersion: before.version, ifMatch },
    relatedUpdates: adminSetUpdate(before, after),
    audit: { action: change.action, version: after.version, changes: change.changes, facts: {} },
    event: eventOf(change.type, after, actor, change.changes),
  });
}

export async function getPerson(tenantId: string, userId: string): Promise<Person | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: userKey(tenantId, userId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<Person>(result.Item) : null;
}

export function listPeople(tenantId: string, limit: number, cursor?: string): Promise<Page<PersonSummary>> {
  return querySummaryPage<PersonSummary>(userList(tenantId), { limit, cursor });
}

/** How many active tenant admins the tenant has (consistent: the rule is checked against it). */
export async function activeAdminCount(tenantId: string): Promise<number> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: tenantAdminsKey(tenantId), ConsistentRead: true }));
  const admins = result.Item?.admins as Set<string> | undefined;
  return admins?.size ?? 0;
}

/** The person of a tenant with this e-mail, if any (GSI1, sorted by e-mail: one small Query). */
export async function findPersonByEmail(tenantId: string, email: string): Promise<PersonSummary | null> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: userList(tenantId).indexName,
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(QSK, :email)',
      ExpressionAttributeValues: { ':pk': userList(tenantId).partitionKey, ':email': `${email}#` },
      Limit: 1,
    }),
  );
  return (result.Items?.[0]?.summary as PersonSummary | undefined) ?? null;
}
