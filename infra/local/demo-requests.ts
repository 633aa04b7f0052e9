/**
 * Demo request catalogue for both demo tenants (new starter, laptop, VPN
 * access, password reset), created and published through the HTTP API with
 * the demo manager's token, as a client would. The definitions are also
 * the integration tests' fixtures.
 * @module
 */
import { DEMO_TENANTS, demoUser } from './demo-users.js';
import type { LocalStack } from './local-stack.js';

/** Onboarding: the manager approves; accounts and hardware in parallel, then a desk visit on the first day. */
export const NEW_STARTER = {
  name: 'New starter',
  category: 'onboarding',
  description: 'Everything a new colleague needs on day one: accounts, a laptop, access.',
  form: {
    fields: [
      { key: 'fullName', label: 'Full name', type: 'text', required: true, maxLength: 200 },
      { key: 'startDate', label: 'Start date', type: 'date', required: true },
      { key: 'lineManager', label: 'Line manager', type: 'user', required: true },
      { key: 'laptop', label: 'Laptop', type: 'choice', required: true, options: ['standard', 'developer', 'none'] },
      {
        key: 'laptopModel',
        label: 'Developer laptop model',
        type: 'choice',
        required: true,
        options: ['14-inch', '16-inch'],
        when: { op: 'equals', field: 'laptop', value: 'developer' },
      },
      { key: 'systems', label: 'Systems', type: 'multi-choice', options: ['email', 'erp', 'crm', 'vpn'], min: 1 },
      { key: 'desk', label: 'Desk (CI)', type: 'ci' },
      { key: 'monitors', label: 'Monitors', type: 'number', min: 0, max: 3 },
    ],
  },
  approval: { kind: 'manager' },
  plan: {
    stages: [
      {
        name: 'Provision',
        tasks: [
          { key: 'accounts', name: 'Create accounts and mailbox', group: 'service-desk', targetHours: 8 },
          { key: 'hardware', name: 'Prepare the laptop', group: 'regional-ops', targetHours: 16, deliveryMode: 'on_site_visit' },
        ],
      },
    ],
  },
  targets: { responseMinutes: 15, fulfilmentHours: 24 },
  cost: { amount: 1800, currency: 'EUR' },
} as const;

const LAPTOP = {
  name: 'Laptop',
  category: 'hardware',
  description: 'A replacement or additional laptop.',
  form: { fields: [{ key: 'reason', label: 'Reason', type: 'choice', required: true, options: ['broken', 'slow', 'additional'] }] },
  approval: { kind: 'manager' },
  plan: {
    stages: [
      { name: 'Prepare', tasks: [{ key: 'image', name: 'Image the laptop', group: 'regional-ops', targetHours: 8 }] },
      {
        name: 'Deliver',
        tasks: [{ key: 'handover', name: 'Hand over and collect the old one', group: 'regional-ops', targetHours: 8, deliveryMode: 'on_site_visit' }],
      },
    ],
  },
  cost: { amount: 1200, currency: 'EUR' },
} as const;

const VPN_ACCESS = {
  name: 'VPN access',
  category: 'access',
  description: 'Remote access to the company network.',
  form: { fields: [{ key: 'until', label: 'Access until', type: 'date' }] },
  approval: { kind: 'manager' },
  plan: { stages: [{ name: 'Grant', tasks: [{ key: 'grant', name: 'Grant VPN access', group: 'network-ops', targetHours: 4 }] }] },
} as const;

/** A standard item: no approval, straight to the service desk. */
export const PASSWORD_RESET = {
  name: 'Password reset',
  category: 'access',
  description: 'Reset a forgotten password.',
  form: { fields: [{ key: 'system', label: 'System', type: 'choice', required: true, options: ['email', 'erp', 'crm'] }] },
  approval: { kind: 'none' },
  plan: { stages: [{ name: 'Reset', tasks: [{ key: 'reset', name: 'Reset the password', group: 'service-desk', targetHours: 1 }] }] },
  targets: { responseMinutes: 15, fulfilmentHours: 1 },
} as const;

export const DEMO_CATALOGUE = [NEW_STARTER, LAPTOP, VPN_ACCESS, PASSWORD_RESET];

/** Creates and publishes the demo catalogue in both demo tenants; returns the number of items. */
export async function seedDemoCatalogue(stack: LocalStack): Promise<number> {
  const call = async (as: string, method: string, path: string, body?: unknown): Promise<{ id: string }> => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.tokenFor(demoUser(as))}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Demo catalogue: ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  await Promise.all(
    DEMO_TENANTS.map(async ({ tenantId }) => {
      for (const definition of DEMO_CATALOGUE) {
        const item = await call(`${tenantId}-manager`, 'POST', '/catalogue-items', { definition });
        await call(`${tenantId}-manager`, 'POST', `/catalogue-items/${item.id}/publish`);
      }
    }),
  );
  return DEMO_TENANTS.length * DEMO_CATALOGUE.length;
}
