/**
 * Demo incidents for both demo tenants, created through the HTTP API with
 * the demo users' tokens, so the demo exercises the same path as a client.
 * @module
 */
import { DEMO_TENANTS, demoUser } from './demo-users.js';
import type { LocalStack } from './local-stack.js';

interface Call {
  readonly as: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

async function call(stack: LocalStack, { as, method, path, body }: Call): Promise<{ id: string; version: number }> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.tokenFor(demoUser(as))}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`Demo data: ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; version: number };
}

/** Seeds a few incidents per tenant in different states. */
export async function seedDemoData(stack: LocalStack): Promise<number> {
  let created = 0;
  for (const { tenantId } of DEMO_TENANTS) {
    const [requester, agent] = [`${tenantId}-requester`, `${tenantId}-agent`];
    const create = async (body: Record<string, unknown>, as = requester) => {
      created += 1;
      return call(stack, { as, method: 'POST', path: '/incidents', body: { channel: 'portal', ...body } });
    };
    await create({
      title: 'Cannot send e-mail from Outlook',
      description: 'Outbox stuck since 09:00.',
      category: 'email',
      type: 'software',
      impact: 3,
      urgency: 2,
    });
    const vpn = await create({
      title: 'VPN drops every few minutes',
      description: 'Remote staff in the east office disconnected.',
      category: 'network',
      subcategory: 'vpn',
      type: 'network',
      impact: 2,
      urgency: 1,
    });
    await call(stack, { as: agent, method: 'POST', path: `/incidents/${vpn.id}/assign`, body: { assignmentGroup: 'network-ops', assigneeId: agent } });
    await call(stack, { as: agent, method: 'POST', path: `/incidents/${vpn.id}/start` });
    await call(stack, {
      as: agent,
      method: 'POST',
      path: `/incidents/${vpn.id}/notes`,
      body: { visibility: 'work_note', body: 'Tunnel renegotiates every 300 s; checking IKE lifetimes.' },
    });
    const erp = await create(
      {
        title: 'ERP down for all users',
        description: 'Monitoring: HTTP 503 on erp.internal.',
        category: 'application',
        type: 'software',
        impact: 1,
        urgency: 1,
        majorIncident: true,
        channel: 'monitoring',
        ciId: 'erp-prod',
        serviceId: 'erp',
      },
      agent,
    );
    await call(stack, { as: agent, method: 'POST', path: `/incidents/${erp.id}/assign`, body: { assignmentGroup: 'erp-support' } });
  }
  return created;
}
