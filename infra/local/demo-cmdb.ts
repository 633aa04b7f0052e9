/**
 * A small demo CMDB for each demo tenant, loaded through the bulk import
 * API: an ERP service and an e-mail service on applications, VMs, hosts, a
 * database, SAN storage and a core switch.
 * @module
 */
import { DEMO_TENANTS, demoUser } from './demo-users.js';
import type { LocalStack } from './local-stack.js';

const ci = (externalId: string, ciClass: string, name: string, extra: Record<string, unknown> = {}) => ({
  kind: 'ci',
  externalId,
  class: ciClass,
  name,
  status: 'in_service',
  environment: 'production',
  ...extra,
});
const rel = (from: string, type: string, to: string) => ({ kind: 'relationship', from: { externalId: from }, type, to: { externalId: to } });

const LINES = [
  ci('demo:svc:erp', 'business_service', 'ERP', {
    ownerGroup: 'erp-support',
    criticality: 'critical',
    description: 'Finance, purchasing and inventory.',
    attributes: { serviceCode: 'ERP', category: 'Business applications', supportHours: 'Mon–Fri 08:00–20:00', slaTier: 'gold', catalogueStatus: 'live' },
  }),
  ci('demo:svc:mail', 'business_service', 'E-mail', {
    ownerGroup: 'workplace',
    criticality: 'high',
    description: 'Mailboxes, calendars and shared mailboxes.',
    attributes: { serviceCode: 'MAIL', category: 'Workplace', supportHours: '24x7', slaTier: 'silver', catalogueStatus: 'live' },
  }),
  ci('demo:app:erp', 'application', 'erp-prod', { ownerGroup: 'erp-support', attributes: { vendor: 'SAP', product: 'S/4HANA' } }),
  ci('demo:app:mail', 'application', 'exchange-prod', { ownerGroup: 'workplace', attributes: { vendor: 'Microsoft', product: 'Exchange Server' } }),
  ci('demo:vm:erp-1', 'virtual_machine', 'erp-app-01', { attributes: { hostname: 'erp-app-01', ipAddress: '10.1.0.11', os: 'SLES 15' } }),
  ci('demo:vm:erp-2', 'virtual_machine', 'erp-app-02', { attributes: { hostname: 'erp-app-02', ipAddress: '10.1.0.12', os: 'SLES 15' } }),
  ci('demo:vm:mail-1', 'virtual_machine', 'mail-01', { attributes: { hostname: 'mail-01', ipAddress: '10.1.0.21', os: 'Windows Server 2022' } }),
  ci('demo:db:erp', 'database', 'erp-db', { attributes: { engine: 'SAP HANA', port: 30015 } }),
  ci('demo:host:1', 'server', 'esx-01', {
    ownerGroup: 'infra',
    location: 'DC-1 R04',
    attributes: { hostname: 'esx-01', ipAddress: '10.0.0.1', os: 'ESXi 8', serialNumber: 'CZ2201' },
  }),
  ci('demo:host:2', 'server', 'esx-02', {
    ownerGroup: 'infra',
    location: 'DC-1 R05',
    attributes: { hostname: 'esx-02', ipAddress: '10.0.0.2', os: 'ESXi 8', serialNumber: 'CZ2202' },
  }),
  ci('demo:san', 'storage', 'san-01', { ownerGroup: 'infra', location: 'DC-1 R06', attributes: { storageType: 'san', capacityGb: 200_000 } }),
  ci('demo:switch', 'network_device', 'core-sw-01', {
    ownerGroup: 'network-ops',
    location: 'DC-1 R01',
    attributes: { deviceType: 'switch', hostname: 'core-sw-01' },
  }),
  rel('demo:svc:erp', 'depends_on', 'demo:app:erp'),
  rel('demo:svc:mail', 'depends_on', 'demo:app:mail'),
  rel('demo:app:erp', 'runs_on', 'demo:vm:erp-1'),
  rel('demo:app:erp', 'runs_on', 'demo:vm:erp-2'),
  rel('demo:app:erp', 'depends_on', 'demo:db:erp'),
  rel('demo:app:mail', 'runs_on', 'demo:vm:mail-1'),
  rel('demo:vm:erp-1', 'runs_on', 'demo:host:1'),
  rel('demo:vm:erp-2', 'runs_on', 'demo:host:2'),
  rel('demo:vm:mail-1', 'runs_on', 'demo:host:1'),
  rel('demo:db:erp', 'runs_on', 'demo:host:2'),
  rel('demo:host:1', 'depends_on', 'demo:san'),
  rel('demo:host:2', 'depends_on', 'demo:san'),
  rel('demo:host:1', 'connects_to', 'demo:switch'),
  rel('demo:host:2', 'connects_to', 'demo:switch'),
];

/** Imports the demo CMDB into each demo tenant; returns the CIs created. */
export async function seedDemoCmdb(stack: LocalStack): Promise<number> {
  const counts = await Promise.all(
    DEMO_TENANTS.map(async ({ tenantId }) => {
      const response = await fetch(`${stack.url}/cis/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.tokenFor(demoUser(`${tenantId}-manager`))}`, 'content-type': 'application/x-ndjson' },
        body: LINES.map((line) => JSON.stringify(line)).join('\n'),
      });
      if (!response.ok) throw new Error(`Demo CMDB: import answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { counts: { created: number } }).counts.created;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
