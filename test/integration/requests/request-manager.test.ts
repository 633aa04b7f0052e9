/**
 * The "requester's manager" approval from the people records, over HTTP: a
 * tenant admin names a person's manager on their profile (an active user of
 * the tenant, never themselves); a request of that person waits for that
 * manager only (another manager's vote is refused); a requester whose
 * profile names no manager gets a 422 and nothing is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, createGroups, newTenant, request, tokenFor } from '../api-client.js';

type Problem = { status: number; detail: string; errors?: { field: string }[] };
type User = { id: string; managerId: string | null; version: number };
type ServiceRequest = { id: string; status: string; approval: { levels: { name: string }[] } | null; allowedActions: string[] };

describe("service requests: the requester's manager decides", () => {
  const tenant = actorsOf(newTenant('reqmgr'));
  const definition = { ...PASSWORD_RESET, name: 'Admin rights', approval: { kind: 'manager' } };
  let itemId = '';
  const person = async (name: string, roles: string[]) => {
    const invited = await tenant.admin.call<User>('POST', '/users', { body: { name, email: `${name.toLowerCase()}@${tenant.tenantId}.example`, roles } });
    expect(invited.status).toBe(201);
    const id = invited.body.id;
    const token = tokenFor(tenant.tenantId, id, roles as never);
    return { id, call: <T>(method: string, path: string, options: { body?: unknown } = {}) => request<T>(method, path, { ...options, token }) };
  };

  beforeAll(async () => {
    await createGroups(tenant, ['service-desk']);
    const item = await tenant.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition } });
    await tenant.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    itemId = item.body.id;
  });

  it('names the manager on the profile; only that manager may decide; no manager on the profile is a 422', async () => {
    const boss = await person('Bea', ['manager']);
    const otherBoss = await person('Carl', ['manager']);
    const dana = await person('Dana', ['requester']);

    // A profile without a manager: the submission is refused, nothing is written.
    const refused = await dana.call<Problem>('POST', '/requests', { body: { itemId, answers: { system: 'erp' } } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/names no manager/);
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['requesterId']);
    expect((await dana.call<{ items: unknown[] }>('GET', '/requests')).body.items).toEqual([]);

    // The tenant admin names her manager: an active user of the tenant, not herself.
    const self = await tenant.admin.call<Problem>('PATCH', `/users/${dana.id}`, { body: { managerId: dana.id } });
    expect(self.status).toBe(422);
    const ghost = await tenant.admin.call<Problem>('PATCH', `/users/${dana.id}`, { body: { managerId: 'nobody-here' } });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors?.map((error) => error.field)).toEqual(['managerId']);
    const agentTry = await tenant.agent.call<Problem>('PATCH', `/users/${dana.id}`, { body: { managerId: boss.id } });
    expect([403, 404]).toContain(agentTry.status);
    const named = await tenant.admin.call<User>('PATCH', `/users/${dana.id}`, { body: { managerId: boss.id } });
    expect(named.status).toBe(200);
    expect(named.body.managerId).toBe(boss.id);
    expect((await tenant.admin.call<User>('GET', `/users/${dana.id}`)).body.managerId).toBe(boss.id);

    const raised = await dana.call<ServiceRequest>('POST', '/requests', { body: { itemId, answers: { system: 'erp' } } });
    expect(raised.status).toBe(201);
    expect(raised.body.status).toBe('awaiting_approval');
    const notTheirs = await otherBoss.call<Problem>('POST', `/requests/${raised.body.id}/approvals`, { body: { decision: 'approve' } });
    expect(notTheirs.status).toBe(403);
    const anyManager = await tenant.manager.call<Problem>('POST', `/requests/${raised.body.id}/approvals`, { body: { decision: 'approve' } });
    expect(anyManager.status).toBe(403);
    const waiting = await boss.call<{ items: { id: string }[] }>('GET', '/requests?queue=awaiting-my-approval');
    expect(waiting.body.items.map((item) => item.id)).toEqual([raised.body.id]);
    const approved = await boss.call<ServiceRequest>('POST', `/requests/${raised.body.id}/approvals`, { body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('in_fulfilment');

    // Another tenant never sees her request.
    const intruder = actorsOf(newTenant('reqmgr-x'));
    expect((await intruder.manager.call<Problem>('GET', `/requests/${raised.body.id}`)).status).toBe(404);
  });
});
