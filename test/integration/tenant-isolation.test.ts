/**
 * Another tenant's incident is invisible: every incident route, called by
 * every role of another tenant, answers 404 and changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#shared/http/routes.js';
import { actorsOf, newTenant, sampleIncident } from './api-client.js';

type Incident = { id: string; number: string; version: number };

const BODIES: Record<string, unknown> = {
  PATCH: { title: 'hijacked' },
  assign: { assignmentGroup: 'intruders' },
  hold: { reason: 'awaiting_customer' },
  resolve: { code: 'duplicate', notes: 'hijacked' },
  close: {},
  reopen: { reason: 'hijacked' },
  cancel: { reason: 'hijacked' },
  notes: { visibility: 'comment', body: 'hijacked' },
};

const incidentRoutes = Object.values(routes).filter((route) => route.path.startsWith('/incidents/{id}'));

describe('tenant isolation', () => {
  const owner = actorsOf(newTenant('owner'));
  const intruder = actorsOf(newTenant('intruder'));
  let incident: Incident;
  let historyBefore: unknown;

  beforeAll(async () => {
    incident = (await owner.requester.call<Incident>('POST', '/incidents', { body: sampleIncident() })).body;
    historyBefore = (await owner.agent.call('GET', `/incidents/${incident.id}/history`)).body;
  });

  const roles = ['requester', 'agent', 'manager', 'admin'] as const;
  const cases = incidentRoutes.flatMap((route) =>
    roles.flatMap((role) => [
      { route, role, by: 'id' as const },
      { route, role, by: 'number' as const },
    ]),
  );

  it.each(cases)("$route.method $route.path as another tenant's $role (by $by) → 404", async ({ route, role, by }) => {
    const key = route.path.split('/').at(-1) === '{id}' ? route.method : (route.path.split('/').at(-1) as string);
    const ref = by === 'id' ? incident.id : incident.number;
    const response = await intruder[role].call(route.method, route.path.replace('{id}', ref), {
      ...(route.body ? { body: BODIES[key] ?? {} } : {}),
      headers: { 'if-match': `"${incident.version}"` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('left the incident and its history untouched', async () => {
    const after = await owner.agent.call<Incident>('GET', `/incidents/${incident.id}`);
    expect(after.body.version).toBe(incident.version);
    expect((await owner.agent.call('GET', `/incidents/${incident.id}/history`)).body).toEqual(historyBefore);
    const theirQueue = await intruder.agent.call<{ items: unknown[] }>('GET', '/incidents');
    expect(theirQueue.body.items).toEqual([]);
  });

  it("hides one requester's incident from another requester of the same tenant", async () => {
    const response = await owner.otherRequester.call('GET', `/incidents/${incident.id}`);
    expect(response.status).toBe(404);
  });
});
