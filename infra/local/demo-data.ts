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
  // Tenants side by side: each tenant's calls stay in order (they build on each other), the tenants do not.
  await Promise.all(DEMO_TENANTS.map(({ tenantId }) => seedTenant(tenantId)));
  return created;

  async function seedTenant(tenantId: string): Promise<void> {
    const [requester, agent] = [`${tenantId}-requester`, `${tenantId}-agent`];
    // The demo tenants are premium (docs/throttling.md): a developer's scripts and the throughput bench stay under its rate.
    const { putTenantPlan } = await import('#shared/data/tenant-limits.js');
    await putTenantPlan(tenantId, { tier: 'premium', quotaOverrides: {} });
    await seedDemoGroups(stack, tenantId);
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
    await seedDemoChange(stack, tenantId);
  }
}

/**
 * The demo tenant's assignment groups in the seed's three tiers (000 §6.1),
 * top tier first so each group can name the one it escalates to, and the
 * tiers' default groups: functional escalation from the front line reaches
 * the regional centre, then headquarters.
 */
export const DEMO_GROUPS = [
  { code: 'hq-engineering', name: 'Headquarters engineering', tier: 'headquarters', escalatesTo: null },
  { code: 'regional-ops', name: 'Regional operations centre', tier: 'regional', escalatesTo: 'hq-engineering' },
  { code: 'service-desk', name: 'Service desk', tier: 'front-line', escalatesTo: 'regional-ops' },
  { code: 'network-ops', name: 'Network operations', tier: 'front-line', escalatesTo: 'regional-ops' },
  { code: 'erp-support', name: 'ERP support', tier: 'front-line', escalatesTo: 'regional-ops' },
] as const;

async function seedDemoGroups(stack: LocalStack, tenantId: string): Promise<void> {
  const [admin, manager, agent] = [`${tenantId}-admin`, `${tenantId}-manager`, `${tenantId}-agent`];
  for (const group of DEMO_GROUPS) {
    await call(stack, {
      as: admin,
      method: 'POST',
      path: '/groups',
      body: { ...group, members: [agent, manager], managerId: manager, description: `${group.name} (demo).` },
    });
  }
  await call(stack, {
    as: admin,
    method: 'PUT',
    path: '/settings/group-tiers',
    body: {
      tiers: [
        { id: 'front-line', name: 'Front line', defaultGroup: 'service-desk' },
        { id: 'regional', name: 'Regional centre', defaultGroup: 'regional-ops' },
        { id: 'headquarters', name: 'Headquarters', defaultGroup: 'hq-engineering' },
      ],
    },
  });
}

/**
 * A change calendar (a year-end freeze, Saturday-night windows for
 * erp-prod) and a normal change in next Saturday's window, submitted and
 * assessed: it waits for its technical review, then the CAB (the demo
 * manager can approve it with `POST /changes/{id}/approvals`).
 */
async function seedDemoChange(stack: LocalStack, tenantId: string): Promise<void> {
  const [agent, admin] = [`${tenantId}-agent`, `${tenantId}-admin`];
  const now = new Date();
  const year = now.getUTCFullYear();
  const saturday = (7 - ((now.getUTCDay() + 1) % 7)) % 7 || 7;
  const freeze = { start: `${year}-12-20T00:00:00Z`, end: `${year + 1}-01-03T00:00:00Z` };
  const start = new Date(Date.UTC(year, now.getUTCMonth(), now.getUTCDate() + saturday, 22));
  // Not into the freeze: the demo change would be refused (that is what freezes are for).
  while (start.toISOString() >= freeze.start && start.toISOString() < freeze.end) start.setUTCDate(start.getUTCDate() + 7);
  const night = [{ start: '21:00', end: '24:00' }];
  await call(stack, {
    as: admin,
    method: 'PUT',
    path: '/settings/change-calendar',
    body: {
      settings: {
        blackouts: [{ id: 'year-end', name: 'Year-end freeze', ...freeze }],
        maintenanceWindows: [
          {
            id: 'erp-saturday-night',
            name: 'ERP Saturday night',
            target: { kind: 'ci', id: 'erp-prod' },
            calendar: { timeZone: 'UTC', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: night, sun: [] } },
          },
        ],
      },
    },
  });
  const change = await call(stack, {
    as: agent,
    method: 'POST',
    path: '/changes',
    body: {
      type: 'normal',
      title: 'Apply ERP kernel patch 7.4.2',
      description: 'Vendor security patch for the ERP application servers.',
      justification: 'Fixes CVE-2026-1234 (remote code execution).',
      category: 'patching',
      implementationPlan: 'Drain node 1, patch, smoke test, repeat on node 2.',
      testPlan: 'ERP login and order entry smoke tests on each node.',
      backoutPlan: 'Restore the pre-patch snapshot of each node.',
      ciIds: ['erp-prod'],
      serviceIds: ['erp'],
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 3_600_000).toISOString(),
    },
  });
  await call(stack, { as: agent, method: 'POST', path: `/changes/${change.id}/submit` });
  await call(stack, {
    as: agent,
    method: 'POST',
    path: `/changes/${change.id}/assess`,
    body: {
      impact: 'ERP unavailable on one node at a time; no user impact expected.',
      resources: 'One ERP administrator for an hour.',
      riskAnswers: { 'users-affected': 'many', complexity: 'simple', tested: 'yes', backout: 'proven', outage: 'window' },
      continuityImpact: false,
    },
  });
}
