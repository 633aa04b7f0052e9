/**
 * Monitoring opens incidents by itself: integration keys, the alert
 * policy, and PagerDuty-style events over HTTP against the local stack,
 * including a storm of concurrent triggers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { alertKey } from '#shared/data/alerts/keys.js';
import { LOCAL_TABLE_NAME } from '../../../infra/local/local-stack.js';
import { actorsOf, createGroups, newTenant, request } from '../api-client.js';

type Tenant = ReturnType<typeof actorsOf>;
type Accepted = { status: string; dedup_key: string; incidentId: string | null; incidentNumber: string | null; action: string };
type Incident = {
  id: string;
  number: string;
  status: string;
  version: number;
  reopenCount: number;
  channel: string;
  requesterId: string;
  ciId: string | null;
  impact: number;
  urgency: number;
  priority: number;
  assignmentGroup: string | null;
  assigneeId: string | null;
  category: string;
  resolution: { code: string } | null;
};
type Problem = { type: string; status: number; errors?: { field: string }[] };

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoDbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

/** The stored alert record of a dedup key (no API lists alert records). */
async function alertRecord(tenantId: string, dedupKey: string): Promise<{ occurrences: number; incidentId: string } | undefined> {
  const result = await db.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: alertKey(tenantId, dedupKey), ConsistentRead: true }));
  return result.Item as { occurrences: number; incidentId: string } | undefined;
}

async function createKey(tenant: Tenant, name = 'monitoring'): Promise<string> {
  const response = await tenant.admin.call<{ routingKey: string }>('POST', '/settings/integration-keys', { body: { name } });
  expect(response.status).toBe(201);
  return response.body.routingKey;
}

/** Saves the policy, forming its default group first: alert policies dispatch only to groups that exist. */
async function setPolicy(tenant: Tenant, policy: Record<string, unknown>): Promise<void> {
  const group = policy.defaultAssignmentGroup;
  if (typeof group === 'string' && (await tenant.agent.call('GET', `/groups/${group}`)).status === 404) await createGroups(tenant, [group]);
  const response = await tenant.admin.call('PUT', '/settings/alert-policy', { body: policy });
  expect(response.status).toBe(200);
}

const payload = (summary: string, overrides: Record<string, unknown> = {}) => ({ summary, source: 'db-01.prod', severity: 'error', ...overrides });

function alertSender(routingKey: string) {
  const send = (body: Record<string, unknown>) => request<Accepted>('POST', '/alerts', { body: { routing_key: routingKey, ...body } });
  return {
    send,
    trigger: (dedupKey: string, overrides: Record<string, unknown> = {}) =>
      send({ event_action: 'trigger', dedup_key: dedupKey, payload: payload(`Alert ${dedupKey}`, overrides) }),
    acknowledge: (dedupKey: string) => send({ event_action: 'acknowledge', dedup_key: dedupKey }),
    resolve: (dedupKey: string) => send({ event_action: 'resolve', dedup_key: dedupKey }),
  };
}

async function incidentsOf(tenant: Tenant): Promise<{ id: string }[]> {
  return (await tenant.agent.call<{ items: { id: string }[] }>('GET', '/incidents?limit=100')).body.items;
}

const getIncident = async (tenant: Tenant, id: string) => (await tenant.agent.call<Incident>('GET', `/incidents/${id}`)).body;

/** Runs `count` tasks with at most `concurrency` in flight. */
async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

describe('integration keys', () => {
  const tenant = actorsOf(newTenant('keys'));

  it('are created by tenant admins, shown once, listed without secrets, and revoked', async () => {
    const created = await tenant.admin.call<{ keyId: string; routingKey: string; status: string; name: string }>('POST', '/settings/integration-keys', {
      body: { name: 'Alertmanager' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Alertmanager', status: 'active' });
    expect(created.body.routingKey).toMatch(new RegExp(`^${tenant.tenantId}\\.${created.body.keyId}\\.[A-Za-z0-9_-]{43}$`));
    expect(created.headers.get('location')).toBe(`/settings/integration-keys/${created.body.keyId}`);
    const secret = created.body.routingKey.split('.').at(-1) as string;

    const list = await tenant.admin.call<{ items: Record<string, unknown>[] }>('GET', '/settings/integration-keys');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ keyId: created.body.keyId, name: 'Alertmanager', status: 'active', revokedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(Object.keys(list.body.items[0] ?? {})).not.toContain('secretHash');

    const send = alertSender(created.body.routingKey);
    expect((await send.trigger('key-check')).status).toBe(202);

    expect((await tenant.admin.call('DELETE', `/settings/integration-keys/${created.body.keyId}`)).status).toBe(204);
    expect((await send.trigger('key-check')).status).toBe(401);
    // Revoking again changes nothing and says so calmly.
    expect((await tenant.admin.call('DELETE', `/settings/integration-keys/${created.body.keyId}`)).status).toBe(204);
    const after = await tenant.admin.call<{ items: { status: string; revokedBy: string }[] }>('GET', '/settings/integration-keys');
    expect(after.body.items[0]).toMatchObject({ status: 'revoked', revokedBy: tenant.admin.userId });
  });

  it('are for tenant admins only, and unknown ids are 404', async () => {
    expect((await tenant.manager.call('POST', '/settings/integration-keys', { body: { name: 'x' } })).status).toBe(403);
    expect((await tenant.agent.call('GET', '/settings/integration-keys')).status).toBe(403);
    expect((await tenant.admin.call('DELETE', '/settings/integration-keys/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    expect((await tenant.admin.call('DELETE', '/settings/integration-keys/not-a-key')).status).toBe(404);
    // Another tenant's admin cannot see or revoke this tenant's keys.
    const other = actorsOf(newTenant('keys-other'));
    const { body } = await tenant.admin.call<{ keyId: string }>('POST', '/settings/integration-keys', { body: { name: 'mine' } });
    expect((await other.admin.call('DELETE', `/settings/integration-keys/${body.keyId}`)).status).toBe(404);
    expect((await other.admin.call<{ items: unknown[] }>('GET', '/settings/integration-keys')).body.items).toEqual([]);
  });
});

describe('alert policy', () => {
  const tenant = actorsOf(newTenant('policy'));
  beforeAll(() => createGroups(tenant, ['noc']));

  it('has defaults, is replaced by tenant admins with If-Match, and omitted fields take their defaults', async () => {
    const current = await tenant.agent.call<{ version: number; policy: Record<string, unknown> }>('GET', '/settings/alert-policy');
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"0"');
    expect(current.body.policy).toEqual({
      autoResolve: true,
      flapWindowSeconds: 900,
      severityMapping: {
        critical: { impact: 1, urgency: 1 },
        error: { impact: 2, urgency: 1 },
        warning: { impact: 2, urgency: 2 },
        info: { impact: 3, urgency: 3 },
      },
      defaultCategory: 'monitoring',
      defaultAssignmentGroup: null,
    });
    expect((await tenant.manager.call('PUT', '/settings/alert-policy', { body: { autoResolve: false } })).status).toBe(403);
    expect((await tenant.requester.call('GET', '/settings/alert-policy')).status).toBe(403);

    const saved = await tenant.admin.call<{ policy: Record<string, unknown> }>('PUT', '/settings/alert-policy', {
      body: { autoResolve: false, severityMapping: { critical: { impact: 1, urgency: 2 } }, defaultAssignmentGroup: 'noc' },
      headers: { 'if-match': '"0"' },
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect(saved.body.policy).toMatchObject({
      autoResolve: false,
      flapWindowSeconds: 900,
      severityMapping: { critical: { impact: 1, urgency: 2 }, error: { impact: 2, urgency: 1 } },
      defaultAssignmentGroup: 'noc',
    });
    expect((await tenant.admin.call('PUT', '/settings/alert-policy', { body: {}, headers: { 'if-match': '"0"' } })).status).toBe(412);
  });

  it('refuses a malformed policy field by field', async () => {
    const response = await tenant.admin.call<Problem>('PUT', '/settings/alert-policy', {
      body: { flapWindowSeconds: -1, severityMapping: { critical: { impact: 4, urgency: 1 } }, defaultAssignmentGroup: 'a b', colour: 'red' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.field).sort()).toEqual(
      ['body.colour', 'body.defaultAssignmentGroup', 'body.flapWindowSeconds', 'body.severityMapping.critical.impact'].sort(),
    );
  });
});

describe('POST /alerts', () => {
  const tenant = actorsOf(newTenant('alerts'));
  let alerts: ReturnType<typeof alertSender>;

  beforeAll(async () => {
    alerts = alertSender(await createKey(tenant));
    await setPolicy(tenant, { defaultAssignmentGroup: 'noc' });
  });

  it('an alarm storm of 1,000 triggers over 10 dedup keys opens exactly 10 incidents and counts every occurrence; resolves resolve them', async () => {
    const keys = Array.from({ length: 10 }, (_, index) => `storm-${index}`);
    const started = performance.now();
    const responses = await pool(1000, 25, (index) => alerts.trigger(keys[index % keys.length] as string, { severity: 'critical', component: 'db-01' }));
    const seconds = (performance.now() - started) / 1000;
    console.info(`alert storm: 1000 triggers, concurrency 25, ${seconds.toFixed(1)} s (${(1000 / seconds).toFixed(0)}/s)`);

    expect(responses.filter((response) => response.status !== 202).map((response) => [response.status, response.body])).toEqual([]);
    expect(responses.filter((response) => response.body.action === 'created')).toHaveLength(10);
    expect(responses.filter((response) => response.body.action === 'updated')).toHaveLength(990);
    const incidentIds = new Set(responses.map((response) => response.body.incidentId));
    expect(incidentIds.size).toBe(10);
    expect(await incidentsOf(tenant)).toHaveLength(10);

    let total = 0;
    for (const key of keys) {
      const record = await alertRecord(tenant.tenantId, key);
      expect(record?.occurrences).toBe(100);
      total += record?.occurrences ?? 0;
    }
    expect(total).toBe(1000);

    // The storm wrote no incident versions: created, then dispatched to the policy's group.
    for (const id of incidentIds) {
      expect(await getIncident(tenant, id as string)).toMatchObject({
        version: 2,
        status: 'assigned',
        assignmentGroup: 'noc',
        channel: 'monitoring',
        requesterId: 'monitoring',
        ciId: 'db-01',
        impact: 1,
        urgency: 1,
        priority: 1,
        category: 'monitoring',
      });
    }

    const resolved = await pool(keys.length, 10, (index) => alerts.resolve(keys[index] as string));
    expect(resolved.map((response) => [response.status, response.body.action])).toEqual(keys.map(() => [202, 'resolved']));
    for (const id of incidentIds)
      expect(await getIncident(tenant, id as string)).toMatchObject({ status: 'resolved', resolution: { code: 'monitoring_recovered' } });
    // Resolving again is a no-op.
    expect((await alerts.resolve('storm-0')).body.action).toBe('ignored');
  }, 180_000);

  it('reopens an incident that fires again within the flap window, and opens a new one after it', async () => {
    const first = await alerts.trigger('flappy');
    expect(first.body.action).toBe('created');
    expect((await alerts.resolve('flappy')).body.action).toBe('resolved');
    const before = (await incidentsOf(tenant)).length;

    const again = await alerts.trigger('flappy');
    expect(again.body).toMatchObject({ action: 'reopened', incidentId: first.body.incidentId });
    expect(await getIncident(tenant, first.body.incidentId as string)).toMatchObject({ status: 'in_progress', reopenCount: 1, resolution: null });
    expect((await incidentsOf(tenant)).length).toBe(before);
    expect((await alertRecord(tenant.tenantId, 'flappy'))?.occurrences).toBe(2);

    await setPolicy(tenant, { defaultAssignmentGroup: 'noc', flapWindowSeconds: 1 });
    expect((await alerts.resolve('flappy')).body.action).toBe('resolved');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const later = await alerts.trigger('flappy');
    expect(later.body.action).toBe('created');
    expect(later.body.incidentId).not.toBe(first.body.incidentId);
    expect((await incidentsOf(tenant)).length).toBe(before + 1);
    expect(await alertRecord(tenant.tenantId, 'flappy')).toMatchObject({ incidentId: later.body.incidentId, occurrences: 1 });
    // The old incident stays resolved.
    expect((await getIncident(tenant, first.body.incidentId as string)).status).toBe('resolved');
    await setPolicy(tenant, { defaultAssignmentGroup: 'noc' });
  });

  it('opens a new incident when the previous one was closed', async () => {
    const first = await alerts.trigger('closed-one');
    await alerts.resolve('closed-one');
    expect((await tenant.agent.call('POST', `/incidents/${first.body.incidentId}/close`, { body: { note: 'Confirmed' } })).status).toBe(200);
    const again = await alerts.trigger('closed-one');
    expect(again.body.action).toBe('created');
    expect(again.body.incidentId).not.toBe(first.body.incidentId);
  });

  it('acknowledge starts an incident a person owns, otherwise notes it, once', async () => {
    const owned = await alerts.trigger('ack-owned');
    await tenant.agent.call('POST', `/incidents/${owned.body.incidentId}/assign`, { body: { assignmentGroup: 'noc', assigneeId: tenant.agent.userId } });
    expect((await alerts.acknowledge('ack-owned')).body.action).toBe('acknowledged');
    expect(await getIncident(tenant, owned.body.incidentId as string)).toMatchObject({ status: 'in_progress', assigneeId: tenant.agent.userId });
    expect((await alerts.acknowledge('ack-owned')).body.action).toBe('ignored');

    const groupOnly = await alerts.trigger('ack-group');
    expect((await alerts.acknowledge('ack-group')).body.action).toBe('acknowledged');
    expect(await getIncident(tenant, groupOnly.body.incidentId as string)).toMatchObject({ status: 'assigned', assigneeId: null });
    const notes = await tenant.agent.call<{ items: { body: string; authorId: string }[] }>('GET', `/incidents/${groupOnly.body.incidentId}/notes`);
    expect(notes.body.items).toEqual([expect.objectContaining({ authorId: 'monitoring', body: expect.stringContaining('acknowledged') })]);

    expect((await alerts.acknowledge('never-triggered')).body).toMatchObject({ action: 'ignored', incidentId: null });
  });

  it('groups triggers without a dedup key by source and summary, as PagerDuty does', async () => {
    const body = { event_action: 'trigger', payload: payload('Queue depth above 10k', { source: 'mq-01' }) };
    const first = await alerts.send(body);
    const second = await alerts.send(body);
    expect(first.body.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(second.body).toMatchObject({ action: 'updated', dedup_key: first.body.dedup_key, incidentId: first.body.incidentId });
    expect((await alerts.resolve(first.body.dedup_key)).body.action).toBe('resolved');
  });

  it('refuses a bad routing key with 401 and writes nothing', async () => {
    const other = actorsOf(newTenant('alerts-other'));
    const otherKey = await createKey(other);
    const valid = await createKey(tenant, 'spare');
    const [, keyId] = valid.split('.');
    const before = (await incidentsOf(tenant)).length;
    for (const routingKey of [
      'not-a-key',
      `${tenant.tenantId}.${keyId}.${'A'.repeat(43)}`,
      `${tenant.tenantId}.01ARZ3NDEKTSV4RRFFQ69G5FAV.${valid.split('.').at(-1)}`,
      // Another tenant's valid secret with this tenant's name.
      `${tenant.tenantId}.${otherKey.split('.').slice(1).join('.')}`,
    ]) {
      const response = await request<Problem>('POST', '/alerts', {
        body: { routing_key: routingKey, event_action: 'trigger', dedup_key: 'intruder', payload: payload('x') },
      });
      expect(response.status, routingKey).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body.type).toBe('urn:itsm:problem:unauthorized');
    }
    expect((await incidentsOf(tenant)).length).toBe(before);
    expect(await alertRecord(tenant.tenantId, 'intruder')).toBeUndefined();
  });

  it.each([
    {
      name: 'a trigger with a broken payload and an unknown field',
      body: { event_action: 'trigger', payload: { summary: '', severity: 'disaster' }, colour: 'red' },
      fields: ['body.colour', 'body.payload.severity', 'body.payload.source', 'body.payload.summary'],
    },
    { name: 'a trigger without payload', body: { event_action: 'trigger', dedup_key: 'x' }, fields: ['body.payload'] },
    { name: 'a resolve without dedup key', body: { event_action: 'resolve' }, fields: ['body.dedup_key'] },
    { name: 'an unknown action', body: { event_action: 'snooze', dedup_key: 'x' }, fields: ['body.event_action'] },
    { name: 'a dedup key over 255 characters', body: { event_action: 'acknowledge', dedup_key: 'k'.repeat(256) }, fields: ['body.dedup_key'] },
  ])('refuses $name with 400 listing the fields, and writes nothing', async ({ body, fields }) => {
    const before = (await incidentsOf(tenant)).length;
    const response = await alerts.send(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((response.body as unknown as Problem).errors ?? []).map((error) => error.field).sort()).toEqual(fields);
    expect((await incidentsOf(tenant)).length).toBe(before);
  });

  it('refuses a missing routing key as a validation error, before any lookup', async () => {
    const response = await request<Problem>('POST', '/alerts', { body: { event_action: 'trigger', payload: payload('x') } });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.field)).toEqual(['body.routing_key']);
  });
});

describe('alert policy effects', () => {
  it('with autoResolve off, resolve adds a work note instead, once', async () => {
    const tenant = actorsOf(newTenant('manual'));
    const alerts = alertSender(await createKey(tenant));
    await setPolicy(tenant, { autoResolve: false, defaultAssignmentGroup: 'noc' });
    const { body } = await alerts.trigger('disk');
    const recovered = await alerts.resolve('disk');
    expect(recovered.body).toMatchObject({ action: 'updated', incidentId: body.incidentId });
    expect((await getIncident(tenant, body.incidentId as string)).status).toBe('assigned');
    const notes = await tenant.agent.call<{ items: { body: string; visibility: string }[] }>('GET', `/incidents/${body.incidentId}/notes`);
    expect(notes.body.items).toEqual([expect.objectContaining({ visibility: 'work_note', body: expect.stringContaining('Monitoring reports recovery') })]);
    expect((await alerts.resolve('disk')).body.action).toBe('ignored');
    // The alert fires again: counted on the open incident, and its next recovery is noted again.
    expect((await alerts.trigger('disk')).body.action).toBe('updated');
    expect((await alerts.resolve('disk')).body.action).toBe('updated');
  });

  it('with the default policy (no group), an unassigned incident is noted, not resolved', async () => {
    const tenant = actorsOf(newTenant('unassigned'));
    const alerts = alertSender(await createKey(tenant));
    const { body } = await alerts.trigger('cpu', { severity: 'info' });
    expect(await getIncident(tenant, body.incidentId as string)).toMatchObject({ status: 'new', impact: 3, urgency: 3, assignmentGroup: null });
    expect((await alerts.resolve('cpu')).body.action).toBe('updated');
    expect((await getIncident(tenant, body.incidentId as string)).status).toBe('new');
  });
});

describe('tenant isolation', () => {
  it("keeps one tenant's dedup keys apart from another's", async () => {
    const a = actorsOf(newTenant('iso-a'));
    const b = actorsOf(newTenant('iso-b'));
    const alertsA = alertSender(await createKey(a));
    const alertsB = alertSender(await createKey(b));
    await setPolicy(a, { defaultAssignmentGroup: 'noc' });
    await setPolicy(b, { defaultAssignmentGroup: 'noc' });

    const fromA = await alertsA.trigger('shared-key');
    const fromB = await alertsB.trigger('shared-key');
    expect([fromA.body.action, fromB.body.action]).toEqual(['created', 'created']);
    expect(fromA.body.incidentId).not.toBe(fromB.body.incidentId);

    expect((await alertsB.resolve('shared-key')).body.action).toBe('resolved');
    expect((await getIncident(a, fromA.body.incidentId as string)).status).toBe('assigned');
    expect((await b.agent.call('GET', `/incidents/${fromA.body.incidentId}`)).status).toBe(404);
    expect((await alertRecord(a.tenantId, 'shared-key'))?.occurrences).toBe(1);
    // A's key cannot act on B: it authenticates as A, whose dedup key is still open.
    expect((await alertsA.trigger('shared-key')).body).toMatchObject({ action: 'updated', incidentId: fromA.body.incidentId });
  });
});
