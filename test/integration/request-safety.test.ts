/**
 * Bad input gets a problem+json answer and writes nothing; concurrent
 * writers and retried creates behave.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actorsOf, createGroups, newTenant, request, sampleIncident, tokenFor } from './api-client.js';

type Incident = { id: string; number: string; version: number; status: string };
type Page = { items: Incident[] };

describe('validation', () => {
  const tenant = actorsOf(newTenant('valid'));
  const count = async () => (await tenant.agent.call<Page>('GET', '/incidents?limit=100')).body.items.length;

  it.each([
    { name: 'malformed JSON', options: { rawBody: '{"title": ', headers: { 'content-type': 'application/json' } }, field: 'body' },
    { name: 'unknown field', options: { body: sampleIncident({ priority: 1 }) }, field: 'body.priority' },
    { name: 'wrong type', options: { body: sampleIncident({ impact: 'high' }) }, field: 'body.impact' },
    { name: 'out of range', options: { body: sampleIncident({ urgency: 4 }) }, field: 'body.urgency' },
    { name: 'oversize string', options: { body: sampleIncident({ title: 'x'.repeat(201) }) }, field: 'body.title' },
    { name: 'missing required field', options: { body: { title: 'only a title' } }, field: 'body.description' },
    { name: 'id with a key separator', options: { body: sampleIncident({ ciId: 'TENANT#other#x' }) }, field: 'body.ciId' },
    { name: 'blank title', options: { body: sampleIncident({ title: '   ' }) }, field: 'body.title' },
  ])('$name → 400 naming $field, and no write', async ({ options, field }) => {
    const before = await count();
    const response = await tenant.requester.call<{ errors: { field: string }[]; status: number }>('POST', '/incidents', options);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors.map((error) => error.field)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('refuses a non-JSON body with 415 and an oversize body with 413', async () => {
    expect(
      (await tenant.requester.call('POST', '/incidents', { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status,
    ).toBe(415);
    expect((await tenant.requester.call('POST', '/incidents', { body: sampleIncident({ description: 'x'.repeat(70_000) }) })).status).toBe(413);
  });

  it('answers a bad action body with 400 and leaves the incident as it was', async () => {
    const { body } = await tenant.agent.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    const bad = await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'a b' } });
    expect(bad.status).toBe(400);
    expect((await tenant.agent.call<Incident>('GET', `/incidents/${body.id}`)).body.version).toBe(1);
  });

  it('answers unknown ids and malformed ids with 404', async () => {
    expect((await tenant.agent.call('GET', '/incidents/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    expect((await tenant.agent.call('GET', '/incidents/INC9999999')).status).toBe(404);
    expect((await tenant.agent.call('GET', '/incidents/not-an-id')).status).toBe(404);
  });
});

describe('authentication', () => {
  const tenantId = newTenant('auth');

  it.each([
    { name: 'no token', token: undefined },
    { name: 'garbage token', token: 'not.a.jwt' },
    { name: 'expired token', token: tokenFor(tenantId, 'u1', ['agent'], { exp: Math.floor(Date.now() / 1000) - 60 }) },
    { name: 'token without exp', token: tokenFor(tenantId, 'u1', ['agent'], { exp: undefined }) },
    { name: 'token without iat', token: tokenFor(tenantId, 'u1', ['agent'], { iat: undefined }) },
    { name: 'token issued in the future', token: tokenFor(tenantId, 'u1', ['agent'], { iat: Math.floor(Date.now() / 1000) + 600 }) },
    { name: 'token living longer than a day', token: tokenFor(tenantId, 'u1', ['agent'], { exp: Math.floor(Date.now() / 1000) + 30 * 24 * 3600 }) },
    { name: 'wrong audience', token: tokenFor(tenantId, 'u1', ['agent'], { aud: 'someone-else' }) },
    { name: 'access token instead of ID token', token: tokenFor(tenantId, 'u1', ['agent'], { token_use: 'access' }) },
    { name: 'no tenant claim', token: tokenFor(tenantId, 'u1', ['agent'], { 'custom:tenantId': undefined }) },
    { name: 'tampered signature', token: `${tokenFor(tenantId, 'u1', ['agent']).slice(0, -4)}AAAA` },
  ])('$name → 401 problem', async ({ token }) => {
    const response = await request('GET', '/incidents', token ? { token } : {});
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('ignores roles it does not know and serves the OpenAPI document without a token', async () => {
    const unknownRole = await request('GET', '/incidents', { token: tokenFor(tenantId, 'u2', ['superuser' as never]) });
    expect(unknownRole.status).toBe(403);
    const openapi = await request<{ openapi: string; paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toContain('/incidents/{id}/assign');
  });
});

describe('concurrency and idempotency', () => {
  const tenant = actorsOf(newTenant('race'));

  it('lets exactly one of many updates holding the same ETag win', async () => {
    const { body } = await tenant.agent.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        tenant.agent.call('PATCH', `/incidents/${body.id}`, { body: { title: `Edit ${index}` }, headers: { 'if-match': '"1"' } }),
      ),
    );
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 412)).toBe(true);
    const history = await tenant.agent.call<{ items: unknown[] }>('GET', `/incidents/${body.id}/history`);
    expect(history.body.items).toHaveLength(2);
  });

  it('creates one incident for repeated and concurrent creates with one Idempotency-Key', async () => {
    const before = (await tenant.requester.call<Page>('GET', '/incidents')).body.items.length;
    const send = () =>
      tenant.requester.call<Incident>('POST', '/incidents', { body: sampleIncident({ title: 'Once only' }), headers: { 'idempotency-key': 'create-once-1' } });
    const responses = [...(await Promise.all([send(), send(), send()])), await send()];
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    expect((await tenant.requester.call<Page>('GET', '/incidents')).body.items.length).toBe(before + 1);

    const reused = await tenant.requester.call('POST', '/incidents', {
      body: sampleIncident({ title: 'Something else' }),
      headers: { 'idempotency-key': 'create-once-1' },
    });
    expect(reused.status).toBe(422);
    // Keys are per user: another user's identical key is a different request.
    const other = await tenant.otherRequester.call('POST', '/incidents', {
      body: sampleIncident({ title: 'Once only' }),
      headers: { 'idempotency-key': 'create-once-1' },
    });
    expect(other.status).toBe(201);
  });
});

describe('idempotent notes', () => {
  const tenant = actorsOf(newTenant('notes'));
  beforeAll(() => createGroups(tenant, ['desk']));

  it('adds one note for retries with one Idempotency-Key, even after the incident moved on', async () => {
    const { body } = await tenant.agent.call<Incident>('POST', '/incidents', { body: sampleIncident() });
    const send = () =>
      tenant.agent.call<{ id: string }>('POST', `/incidents/${body.id}/notes`, {
        body: { visibility: 'work_note', body: 'Checked the logs.' },
        headers: { 'idempotency-key': 'note-1' },
      });
    const first = await send();
    await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    const retry = await send();
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const notes = await tenant.agent.call<{ items: unknown[] }>('GET', `/incidents/${body.id}/notes`);
    expect(notes.body.items).toHaveLength(1);
    expect((await tenant.agent.call<Incident>('GET', `/incidents/${body.id}`)).body.version).toBe(3);
  });
});

describe('priority matrix', () => {
  const tenant = actorsOf(newTenant('matrix'));
  const flat = [
    [1, 1, 2],
    [1, 2, 3],
    [2, 3, 4],
  ];

  it('is edited by tenant admins only, checked for sense, and used by new incidents', async () => {
    const current = await tenant.agent.call<{ version: number; matrix: number[][] }>('GET', '/settings/priority-matrix');
    expect(current.body).toMatchObject({
      version: 0,
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 5],
      ],
    });
    expect((await tenant.manager.call('PUT', '/settings/priority-matrix', { body: { matrix: flat } })).status).toBe(403);
    const nonMonotonic = await tenant.admin.call('PUT', '/settings/priority-matrix', {
      body: {
        matrix: [
          [3, 2, 1],
          [2, 3, 4],
          [3, 4, 5],
        ],
      },
    });
    expect(nonMonotonic.status).toBe(422);
    const saved = await tenant.admin.call<{ version: number }>('PUT', '/settings/priority-matrix', { body: { matrix: flat }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    const stale = await tenant.admin.call('PUT', '/settings/priority-matrix', { body: { matrix: flat }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(412);
    const incident = await tenant.agent.call<{ priority: number }>('POST', '/incidents', { body: sampleIncident({ impact: 2, urgency: 1 }) });
    expect(incident.body.priority).toBe(1);
  });
});
