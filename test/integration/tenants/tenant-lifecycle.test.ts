/**
 * The tenant life cycle over HTTP on the local stack, as the issue's
 * "done when" has it: the operator creates a tenant, its admin invites an
 * agent and a requester who get working tokens, the last admin cannot
 * demote themselves, suspend → 403 → resume → 200, the tenant is exported
 * and deleted, a count finds zero items left, and other tenants never see
 * any of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, newTenant, operator, pollUntil, request, sampleIncident } from '../api-client.js';

type Json = Record<string, unknown>;
const WAIT_MS = 60_000;

/** Every item whose key starts with the tenant's prefix: a Scan, which only a test may do, checks the registry's answer independently. */
async function itemsUnder(tenantId: string): Promise<number> {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: 'itsm-local',
        FilterExpression: 'begins_with(PK, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: `TENANT#${tenantId}#` } },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  client.destroy();
  return count;
}

async function devToken(userId: string): Promise<string> {
  const tokens = (await request<Record<string, string>>('GET', '/local/tokens')).body;
  const token = tokens[userId];
  if (!token) throw new Error(`No dev token for ${userId}`);
  return token;
}

const as = (token: string) => ({
  call: <T = Json>(method: string, path: string, options: Omit<Parameters<typeof request>[2], 'token'> = {}) => request<T>(method, path, { ...options, token }),
});

describe('tenant life cycle: onboard, people, suspend, export, delete', () => {
  const op = operator();
  const tenantId = newTenant('initech');
  const acme = actorsOf(newTenant('acme'));

  it(
    'runs end to end over HTTP',
    async () => {
      // A tenant user cannot onboard a tenant, and the operator cannot reach tenant routes.
      expect((await acme.admin.call('POST', '/tenants', { body: { id: tenantId, name: 'x', admin: { name: 'x', email: 'x@x.example' } } })).status).toBe(403);
      expect((await op.call('GET', '/incidents')).status).toBe(403);

      // The operator onboards the tenant: templates copied, the first admin invited.
      const onboard = {
        headers: { 'idempotency-key': `create-${tenantId}` },
        body: {
          id: tenantId,
          name: 'Initech',
          tier: 'standard',
          timeZone: 'America/Chicago',
          locale: 'en-US',
          admin: { name: 'Bill Lumbergh', email: `bill@${tenantId}.example` },
        },
      };
      const created = await op.call<Json>('POST', '/tenants', onboard);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ id: tenantId, status: 'active', allowedActions: ['suspend', 'change-tier'] });
      const replay = await op.call<Json>('POST', '/tenants', onboard);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await op.call('POST', '/tenants', { body: { id: tenantId, name: 'Again', admin: { name: 'x', email: `y@${tenantId}.example` } } })).status).toBe(
        409,
      );
      const adminId = String(created.body.firstAdminId);
      const admin = as(await devToken(adminId));

      // Its tier's limits apply at once: the plan the throttle and the quota claims read (this stack's default is premium).
      const { tenantTierOf } = await import('#shared/data/tenant-limits.js');
      expect(await tenantTierOf(tenantId)).toBe('standard');

      // The SLA policy was copied from the template, on a calendar in the tenant's time zone.
      const sla = await admin.call<{ definitions: { calendar: { timeZone: string } }[] }>('GET', '/settings/sla');
      expect(sla.status, JSON.stringify(sla.body)).toBe(200);
      expect(sla.headers.get('etag')).toBe('"1"');
      expect(sla.body.definitions[0]?.calendar.timeZone).toBe('America/Chicago');

      // The admin invites an agent and a requester; both get working tokens.
      const invited = async (name: string, roles: string[]) => {
        const response = await admin.call<Json>('POST', '/users', {
          body: { name, email: `${name.toLowerCase()}@${tenantId}.example`, roles, phone: '+13125550100' },
        });
        expect(response.status, JSON.stringify(response.body)).toBe(201);
        return response.body;
      };
      const agentUser = await invited('Milton', ['agent']);
      const requesterUser = await invited('Peter', ['requester']);
      expect((await admin.call('POST', '/users', { body: { name: 'Dup', email: `milton@${tenantId}.example`, roles: ['agent'] } })).status).toBe(409);
      const agent = as(await devToken(String(agentUser.id)));
      const requester = as(await devToken(String(requesterUser.id)));
      const incident = await requester.call<Json>('POST', '/incidents', { body: sampleIncident() });
      expect(incident.status, JSON.stringify(incident.body)).toBe(201);
      const queue = await agent.call<{ items: { id: string }[] }>('GET', '/incidents');
      expect(queue.body.items.map((item) => item.id)).toContain(incident.body.id);
      const people = await admin.call<{ items: { email: string; roles: string[] }[] }>('GET', '/users');
      expect(people.body.items.map((item) => item.email).sort()).toEqual([
        `bill@${tenantId}.example`,
        `milton@${tenantId}.example`,
        `peter@${tenantId}.example`,
      ]);

      // The last admin cannot demote themselves; nobody raises their own role.
      const demote = await admin.call<Json>('PUT', `/users/${adminId}/roles`, { body: { roles: ['agent'] } });
      expect(demote.status, JSON.stringify(demote.body)).toBe(409);
      expect(demote.body.type).toBe('urn:itsm:problem:last-tenant-admin');
      expect((await admin.call('POST', `/users/${adminId}/disable`)).status).toBe(409);
      // A manager is promoted to tenant admin; the agent's roles change with an event.
      const promoted = await admin.call<Json>('PUT', `/users/${agentUser.id}/roles`, { headers: { 'if-match': '"1"' }, body: { roles: ['agent', 'manager'] } });
      expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
      expect(promoted.body).toMatchObject({ roles: ['agent', 'manager'], version: 2 });
      expect((await admin.call('PUT', `/users/${agentUser.id}/roles`, { headers: { 'if-match': '"1"' }, body: { roles: ['agent'] } })).status).toBe(412);

      // The profile notifications and on-call use: changed by the admin, versioned.
      const profile = await admin.call<Json>('PATCH', `/users/${requesterUser.id}`, {
        headers: { 'if-match': '"1"' },
        body: { timeZone: 'Europe/London', phone: null },
      });
      expect(profile.status, JSON.stringify(profile.body)).toBe(200);
      expect(profile.body).toMatchObject({ timeZone: 'Europe/London', phone: null, email: `peter@${tenantId}.example`, version: 2 });
      expect((await admin.call('PATCH', `/users/${requesterUser.id}`, { body: { email: 'x@y.example' } })).status).toBe(400);

      // Another tenant's admin sees none of it.
      expect((await acme.admin.call('GET', `/users/${agentUser.id}`)).status).toBe(404);
      expect((await acme.admin.call('PATCH', `/users/${agentUser.id}`, { body: { name: 'x' } })).status).toBe(404);
      expect((await acme.admin.call('GET', `/incidents/${incident.body.id}`)).status).toBe(404);
      expect((await acme.admin.call('GET', `/tenants/${tenantId}`)).status).toBe(404);

      // Suspend: every call of the tenant's users is refused with its own problem type; resume restores them.
      const suspended = await op.call<Json>('POST', `/tenants/${tenantId}/suspend`, { body: { reason: 'Invoice overdue' } });
      expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
      const refused = await agent.call<Json>('GET', '/incidents');
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('urn:itsm:problem:tenant-suspended');
      expect((await acme.agent.call('GET', '/incidents')).status).toBe(200);
      // Deleting before an export taken after the suspension is refused.
      const early = await op.call<Json>('DELETE', `/tenants/${tenantId}`);
      expect(early.status, JSON.stringify(early.body)).toBe(422);
      expect(early.body.reason).toBe('export-required');
      expect((await op.call('POST', `/tenants/${tenantId}/resume`)).status).toBe(200);
      expect((await agent.call('GET', '/incidents')).status).toBe(200);

      // The admin's own export (a backup) runs in the background with progress.
      const backup = await admin.call<Json>('POST', '/exports');
      expect(backup.status, JSON.stringify(backup.body)).toBe(202);
      const done = await pollUntil(
        () => admin.call<Json>('GET', `/exports/${backup.body.id}`),
        (response) => response.body.status !== 'running',
        WAIT_MS,
      );
      expect(done.body).toMatchObject({ status: 'completed' });
      const byType = done.body.itemsByType as Record<string, number>;
      expect(byType.Incident).toBe(1);
      expect(byType.User).toBe(3);
      const location = String(done.body.location);
      const incidents = readdirSync(join(location, 'Incident')).flatMap((file) =>
        readFileSync(join(location, 'Incident', file), 'utf8')
          .trim()
          .split('\n'),
      );
      // Items as stored (keys included): a backup that can be loaded back as it is.
      expect(incidents.map((line) => (JSON.parse(line) as Json).PK)).toEqual([`TENANT#${tenantId}#INCIDENT#${incident.body.id}`]);
      expect((await acme.admin.call('GET', `/exports/${backup.body.id}`)).status).toBe(404);

      // Suspend, export (operator), delete: every item under the tenant's keys goes, counted to zero.
      expect((await op.call('POST', `/tenants/${tenantId}/suspend`, { body: { reason: 'Contract ended' } })).status).toBe(200);
      const finalExport = await op.call<Json>('POST', `/tenants/${tenantId}/exports`);
      expect(finalExport.status, JSON.stringify(finalExport.body)).toBe(202);
      await pollUntil(
        () => op.call<Json>('GET', `/tenants/${tenantId}/exports/${finalExport.body.id}`),
        (response) => response.body.status === 'completed',
        WAIT_MS,
      );
      expect(await itemsUnder(tenantId)).toBeGreaterThan(0);
      const deleting = await op.call<Json>('DELETE', `/tenants/${tenantId}`);
      expect(deleting.status, JSON.stringify(deleting.body)).toBe(202);
      const deleted = await pollUntil(
        () => op.call<{ status: string; deletion: { itemsLeft: number | null; itemsDeleted: number } }>('GET', `/tenants/${tenantId}`),
        (response) => response.body.status === 'deleted',
        WAIT_MS,
      );
      expect(deleted.body.deletion.itemsLeft).toBe(0);
      expect(deleted.body.deletion.itemsDeleted).toBeGreaterThan(10);
      expect(await itemsUnder(tenantId)).toBe(0);
      // Its users are gone from the identity provider: no dev token any more.
      const tokens = (await request<Record<string, string>>('GET', '/local/tokens')).body;
      expect(tokens[adminId]).toBeUndefined();
      // And a token issued before stays refused.
      expect((await agent.call('GET', '/incidents')).status).toBe(403);
      const list = await op.call<{ items: { id: string; status: string }[] }>('GET', '/tenants?limit=100');
      expect(list.status).toBe(200);
    },
    4 * WAIT_MS,
  );
});
