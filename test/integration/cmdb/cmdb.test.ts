/**
 * The CMDB over HTTP: a service graph (business service → app → VMs →
 * hosts, app → database, and a cycle), impact analysis both ways with its
 * limits, tickets on CIs, history, the service catalogue, a small bulk
 * import with bad lines, export round trip, CMDB health, events, and
 * another tenant's CIs answering 404.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ciIdForExternalId } from '#shared/domain/cmdb/ci.js';
import { actorsOf, eventually, newTenant, request, sampleIncident } from '../api-client.js';

type Ci = { id: string; version: number; name: string; class: string; attributes: Record<string, unknown>; status: string };
type ImpactNode = { id: string; name: string; class: string; depth: number; path: { ciId: string; relationship: string }[] };
type Impact = {
  impacted: ImpactNode[];
  businessServices: string[];
  openIncidents: { id: string; ciId: string }[];
  scheduledChanges: unknown[];
  truncated: { nodeLimit: boolean };
  cost: { rounds: number; ciQueries: number };
};
type Report = {
  importId: string;
  counts: Record<string, number>;
  lines: { line: number; status: string; kind: string | null; ciId?: string; errors?: { field: string }[] }[];
};

const ndjson = (lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

describe('CMDB', () => {
  const acme = actorsOf(newTenant('cmdb'));
  const other = actorsOf(newTenant('cmdb-other'));
  const ids: Record<string, string> = {};

  const create = async (key: string, body: Record<string, unknown>) => {
    const response = await acme.agent.call<Ci>('POST', '/cis', { body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[key] = response.body.id;
    return response.body;
  };
  const relate = async (from: string, type: string, to: string) => {
    const response = await acme.agent.call('POST', `/cis/${ids[from]}/relationships`, { body: { type, targetId: ids[to] } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  const impact = (key: string, query: string) => acme.agent.call<Impact>('GET', `/cis/${ids[key]}/impact?${query}`);

  beforeAll(async () => {
    await create('banking', {
      class: 'business_service',
      name: 'Online banking',
      status: 'in_service',
      ownerGroup: 'digital',
      criticality: 'critical',
      description: 'Retail online banking',
      attributes: { serviceCode: 'BANK-01', category: 'Customer', supportHours: '24x7', slaTier: 'gold', catalogueStatus: 'live' },
    });
    await create('payroll', { class: 'business_service', name: 'Payroll', attributes: { serviceCode: 'PAY-01' } });
    await create('app', { class: 'application', name: 'banking-web', environment: 'production', ownerGroup: 'web' });
    await create('vm1', { class: 'virtual_machine', name: 'vm-1', attributes: { hostname: 'vm-1', ipAddress: '10.0.0.11' } });
    await create('vm2', { class: 'virtual_machine', name: 'vm-2' });
    await create('host1', { class: 'server', name: 'host-1', attributes: { cpuCount: 64 } });
    await create('host2', { class: 'server', name: 'host-2' });
    await create('db', { class: 'database', name: 'banking-db', attributes: { engine: 'postgresql', port: 5432 } });
    await relate('banking', 'depends_on', 'app');
    await relate('app', 'runs_on', 'vm1');
    await relate('app', 'runs_on', 'vm2');
    // Said from the dependency's side: stored the same way as "vm1 runs_on host1".
    await relate('host1', 'hosts', 'vm1');
    await relate('vm2', 'runs_on', 'host2');
    await relate('app', 'depends_on', 'db');
    await relate('db', 'runs_on', 'host2');
    // A cycle: the database also depends on the application.
    await relate('db', 'depends_on', 'app');
  });

  it('fails a host: upstream impact reaches the business service, with the path, and the cycle does not loop', async () => {
    const { status, body } = await impact('host1', 'direction=upstream&depth=5');
    expect(status).toBe(200);
    const byId = new Map(body.impacted.map((node) => [node.id, node]));
    expect(body.impacted.map((node) => node.id).sort()).toEqual([ids.vm1, ids.app, ids.banking, ids.db].sort());
    expect(byId.get(ids.banking as string)).toMatchObject({
      depth: 3,
      class: 'business_service',
      path: [
        { ciId: ids.vm1, relationship: 'runs_on' },
        { ciId: ids.app, relationship: 'runs_on' },
        { ciId: ids.banking, relationship: 'depends_on' },
      ],
    });
    expect(body.businessServices).toEqual([ids.banking]);
    expect(body.truncated.nodeLimit).toBe(false);
    // Level 4 reads the database's dependents (the app, already visited) and finds nothing new.
    expect(body.cost.rounds).toBe(4);
    expect(body.scheduledChanges).toEqual([]);
  });

  it('downstream impact lists what the service depends on', async () => {
    const { body } = await impact('banking', 'direction=downstream&depth=3');
    const depth = Object.fromEntries(body.impacted.map((node) => [node.id, node.depth]));
    expect(depth).toEqual({
      [ids.app as string]: 1,
      [ids.vm1 as string]: 2,
      [ids.vm2 as string]: 2,
      [ids.db as string]: 2,
      [ids.host1 as string]: 3,
      [ids.host2 as string]: 3,
    });
    expect(body.impacted.find((node) => node.id === ids.host1)?.path.map((step) => step.relationship)).toEqual(['used_by', 'hosts', 'hosts']);
    expect(body.businessServices).toEqual([]);
  });

  it('holds the depth and node limits', async () => {
    const shallow = (await impact('host1', 'direction=upstream&depth=2')).body;
    expect(shallow.impacted.map((node) => node.id).sort()).toEqual([ids.vm1, ids.app].sort());
    expect(shallow.businessServices).toEqual([]);
    const capped = (await impact('banking', 'direction=downstream&depth=5&maxNodes=3')).body;
    expect(capped.impacted).toHaveLength(3);
    expect(capped.truncated.nodeLimit).toBe(true);
    expect((await impact('host1', 'depth=11')).status).toBe(400);
  });

  it('shows open incidents on the CI and on the impacted set', async () => {
    const incident = (await acme.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ ciId: ids.app }) })).body;
    const ci = await acme.agent.call<{ openIncidents: { id: string }[]; scheduledChanges: unknown[] }>('GET', `/cis/${ids.app}`);
    expect(ci.body.openIncidents.map((i) => i.id)).toEqual([incident.id]);
    expect(ci.body.scheduledChanges).toEqual([]);
    const { body } = await impact('host1', 'direction=upstream');
    expect(body.openIncidents).toEqual([expect.objectContaining({ id: incident.id, ciId: ids.app })]);
    await acme.agent.call('POST', `/incidents/${incident.id}/cancel`, { body: { reason: 'test' } });
  });

  it('lists relationships from both ends and removes them whole', async () => {
    const vm1 = (await acme.agent.call<{ items: unknown[] }>('GET', `/cis/${ids.vm1}/relationships`)).body.items;
    expect(vm1).toEqual(
      expect.arrayContaining([
        { type: 'runs_on', otherId: ids.host1, direction: 'outbound' },
        { type: 'hosts', otherId: ids.app, direction: 'inbound' },
      ]),
    );
    await create('spare', { class: 'server', name: 'spare' });
    await relate('vm2', 'runs_on', 'spare');
    expect((await acme.agent.call('POST', `/cis/${ids.vm2}/relationships`, { body: { type: 'runs_on', targetId: ids.spare } })).status).toBe(409);
    expect((await acme.agent.call('DELETE', `/cis/${ids.spare}/relationships/hosts/${ids.vm2}`)).status).toBe(204);
    expect((await acme.agent.call('DELETE', `/cis/${ids.vm2}/relationships/runs_on/${ids.spare}`)).status).toBe(404);
    const spare = (await acme.agent.call<{ items: unknown[] }>('GET', `/cis/${ids.spare}/relationships`)).body.items;
    expect(spare).toEqual([]);
    const history = (await acme.agent.call<{ items: { action: string }[] }>('GET', `/cis/${ids.spare}/history`)).body.items.map((e) => e.action);
    expect(history).toEqual(['create', 'relate', 'unrelate']);
    expect((await acme.agent.call('POST', `/cis/${ids.spare}/relationships`, { body: { type: 'runs_on', targetId: ids.spare } })).status).toBe(422);
  });

  it('audits each attribute change, honours If-Match, and freezes retired CIs', async () => {
    const before = (await acme.agent.call<Ci>('GET', `/cis/${ids.host2}`)).body;
    const edited = await acme.agent.call<Ci>('PATCH', `/cis/${ids.host2}`, {
      body: { location: 'DC-2 row 4', attributes: { cpuCount: 32, os: 'Linux' } },
      headers: { 'if-match': `"${before.version}"` },
    });
    expect(edited.status).toBe(200);
    expect(edited.headers.get('etag')).toBe(`"${before.version + 1}"`);
    const stale = await acme.agent.call('PATCH', `/cis/${ids.host2}`, { body: { location: 'x' }, headers: { 'if-match': `"${before.version}"` } });
    expect(stale.status).toBe(412);
    const history = (
      await acme.agent.call<{ items: { action: string; actorId: string; changes: { field: string; from: unknown; to: unknown }[] }[] }>(
        'GET',
        `/cis/${ids.host2}/history`,
      )
    ).body.items;
    const update = history.find((entry) => entry.action === 'update');
    expect(update?.actorId).toBe(acme.agent.userId);
    expect(update?.changes).toEqual([
      { field: 'location', from: null, to: 'DC-2 row 4' },
      { field: 'attributes.cpuCount', from: null, to: 32 },
      { field: 'attributes.os', from: null, to: 'Linux' },
    ]);
    const invalid = await acme.agent.call<{ errors: { field: string }[] }>('PATCH', `/cis/${ids.host2}`, {
      body: { attributes: { cpuCount: 'many', colour: 'red' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.field).sort()).toEqual(['body.attributes.colour', 'body.attributes.cpuCount']);

    await create('old', { class: 'generic', name: 'old box', attributes: { rack: 'A1' } });
    expect((await acme.agent.call<Ci>('POST', `/cis/${ids.old}/retire`)).body.status).toBe('retired');
    expect((await acme.agent.call('PATCH', `/cis/${ids.old}`, { body: { name: 'new box' } })).status).toBe(409);
    expect((await acme.agent.call('POST', `/cis/${ids.old}/relationships`, { body: { type: 'runs_on', targetId: ids.host1 } })).status).toBe(409);
  });

  it('keeps service codes unique and follows the tenant pattern', async () => {
    const taken = await acme.agent.call('POST', '/cis', { body: { class: 'business_service', name: 'Copy', attributes: { serviceCode: 'BANK-01' } } });
    expect(taken.status).toBe(409);
    const badPattern = await acme.agent.call('POST', '/cis', { body: { class: 'business_service', name: 'Lower', attributes: { serviceCode: 'lower-case' } } });
    expect(badPattern.status).toBe(400);
    const settings = await acme.admin.call('PUT', '/settings/cmdb', {
      body: {
        settings: {
          serviceCodePattern: '^[A-Za-z-]+(-\\d+)?$',
          staleAfterDays: 30,
          customAttributes: [{ name: 'costCentre', class: '*', type: 'string', required: true }],
        },
      },
    });
    expect(settings.status).toBe(200);
    expect(
      (await acme.agent.call('POST', '/cis', { body: { class: 'business_service', name: 'Lower', attributes: { serviceCode: 'lower-case' } } })).status,
    ).toBe(201);
    expect((await acme.agent.call('PATCH', `/cis/${ids.vm2}`, { body: { custom: { costCentre: 42 } } })).status).toBe(400);
    expect((await acme.agent.call('PATCH', `/cis/${ids.vm2}`, { body: { custom: { costCentre: 'CC-7' } } })).status).toBe(200);
  });

  it('publishes live services in the catalogue, to requesters too', async () => {
    const published = await acme.requester.call<{ items: { serviceCode: string; slaTier: string | null }[] }>('GET', '/services');
    expect(published.status).toBe(200);
    expect(published.body.items).toEqual([expect.objectContaining({ serviceCode: 'BANK-01', slaTier: 'gold', supportHours: '24x7', ownerGroup: 'digital' })]);
    const all = await acme.agent.call<{ items: { serviceCode: string }[] }>('GET', '/services?all=true');
    expect(all.body.items.map((s) => s.serviceCode).sort()).toEqual(['BANK-01', 'PAY-01', 'lower-case']);
    expect((await acme.requester.call('GET', '/services/BANK-01')).status).toBe(200);
    expect((await acme.requester.call('GET', '/services/PAY-01')).status).toBe(404);
    expect((await acme.requester.call('GET', `/cis/${ids.app}`)).status).toBe(404);
  });

  it("answers 404 for another tenant's CIs on every CI route, and changes nothing", async () => {
    const target = ids.host1 as string;
    const before = (await acme.agent.call<Ci>('GET', `/cis/${target}`)).body;
    const calls: [string, string, unknown?][] = [
      ['GET', `/cis/${target}`],
      ['PATCH', `/cis/${target}`, { name: 'hijacked' }],
      ['POST', `/cis/${target}/retire`],
      ['GET', `/cis/${target}/history`],
      ['GET', `/cis/${target}/relationships`],
      ['POST', `/cis/${target}/relationships`, { type: 'runs_on', targetId: ids.host2 }],
      ['DELETE', `/cis/${target}/relationships/hosts/${ids.vm1}`],
      ['GET', `/cis/${target}/impact`],
    ];
    for (const [method, path, body] of calls) {
      const response = await other.manager.call(method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Their own CI cannot point at ours either.
    const theirs = (await other.agent.call<Ci>('POST', '/cis', { body: { class: 'server', name: 'theirs' } })).body;
    expect((await other.agent.call('POST', `/cis/${theirs.id}/relationships`, { body: { type: 'runs_on', targetId: target } })).status).toBe(404);
    expect((await acme.agent.call<Ci>('GET', `/cis/${target}`)).body).toEqual(before);
    expect((await other.requester.call<{ items: unknown[] }>('GET', '/services')).body.items).toEqual([]);
  });

  it('announces every CI change on the bus', async () => {
    const events = await eventually(acme.tenantId, (all) => all.some((e) => e['detail-type'] === 'CiRetired'));
    const count = (type: string) => events.filter((e) => e['detail-type'] === type).length;
    expect(events.every((e) => e.source === 'itsm.cmdb' || e.source === 'itsm.tenants' || e.source === 'itsm.incidents')).toBe(true);
    expect(count('CiCreated')).toBeGreaterThanOrEqual(10);
    expect(count('CiRetired')).toBe(1);
    expect(count('CmdbSettingsUpdated')).toBe(1);
    const relationshipChanges = events.filter((e) => e['detail-type'] === 'CiRelationshipChanged').map((e) => e.detail.change);
    expect(relationshipChanges.filter((c) => c === 'added')).toHaveLength(9);
    expect(relationshipChanges.filter((c) => c === 'removed')).toHaveLength(1);
    const update = events.find((e) => e['detail-type'] === 'CiUpdated' && e.detail.ciId === ids.host2);
    expect(update?.detail).toMatchObject({
      class: 'server',
      version: 2,
      changes: expect.arrayContaining([{ field: 'attributes.os', from: null, to: 'Linux' }]),
    });
  });
});

describe('CMDB bulk import and export', () => {
  const tenant = actorsOf(newTenant('cmdb-import'));
  const importLines = (lines: unknown[], query = '') =>
    request<Report>('POST', `/cis/import${query}`, {
      token: tenant.manager.token,
      rawBody: ndjson(lines),
      headers: { 'content-type': 'application/x-ndjson' },
    });
  const server = (n: number) => ({
    kind: 'ci',
    externalId: `cmdb:srv-${n}`,
    class: 'server',
    name: `srv-${n}`,
    status: 'in_service',
    attributes: { hostname: `srv-${n}` },
  });
  const lines = [
    server(1),
    server(2),
    { kind: 'ci', externalId: 'cmdb:app', class: 'application', name: 'billing', ownerGroup: 'apps' },
    '{"kind":"ci", not json',
    { kind: 'ci', externalId: 'cmdb:bad', class: 'server', name: 'bad', attributes: { cpuCount: -1 } },
    { kind: 'relationship', from: { externalId: 'cmdb:app' }, type: 'runs_on', to: { externalId: 'cmdb:srv-1' } },
    { kind: 'relationship', from: { externalId: 'cmdb:srv-2' }, type: 'hosts', to: { externalId: 'cmdb:app' } },
    { kind: 'relationship', from: { externalId: 'cmdb:app' }, type: 'depends_on', to: { externalId: 'cmdb:nowhere' } },
    { kind: 'relationship', from: { externalId: 'cmdb:bad' }, type: 'runs_on', to: { externalId: 'cmdb:srv-1' } },
    server(1),
    '',
  ];

  it('reports every line, writes only the valid ones, whole', async () => {
    const dry = await importLines(lines, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect((await tenant.agent.call('GET', `/cis/${ciIdForExternalId('cmdb:srv-1')}`)).status).toBe(404);

    const { status, body } = await importLines(lines);
    expect(status).toBe(200);
    expect(body.lines.map((l) => [l.line, l.status])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'added'],
      [7, 'added'],
      [8, 'invalid'],
      [9, 'invalid'],
      [10, 'invalid'],
    ]);
    expect(dry.body.lines.map((l) => l.status)).toEqual(body.lines.map((l) => l.status));
    expect(body.counts).toMatchObject({ lines: 10, created: 3, added: 2, invalid: 5, unchanged: 0, conflict: 0 });
    expect(body.lines[4]?.errors?.map((e) => e.field)).toEqual(['line.attributes.cpuCount']);
    expect((await tenant.agent.call('GET', `/cis/${ciIdForExternalId('cmdb:bad')}`)).status).toBe(404);
    const app = ciIdForExternalId('cmdb:app');
    const upstream = (await tenant.agent.call<Impact>('GET', `/cis/${ciIdForExternalId('cmdb:srv-2')}/impact`)).body;
    expect(upstream.impacted.map((n) => n.id)).toEqual([app]);
    const history = (await tenant.agent.call<{ items: { action: string; facts: { importId: string; line: number } }[] }>('GET', `/cis/${app}/history`)).body
      .items;
    expect(history).toEqual([expect.objectContaining({ action: 'import', facts: { importId: body.importId, line: 3 } })]);
  });

  it('is idempotent, and an export imports back unchanged', async () => {
    const again = (await importLines(lines)).body;
    expect(again.counts).toMatchObject({ created: 0, updated: 0, added: 0, unchanged: 5, invalid: 5 });

    const exported: string[] = [];
    for (const kind of ['cis', 'relationships']) {
      let cursor: string | null = null;
      do {
        const response = await fetch(`${inject('apiUrl')}/cis/export?kind=${kind}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
          headers: { authorization: `Bearer ${tenant.agent.token}` },
        });
        expect(response.headers.get('content-type')).toBe('application/x-ndjson');
        exported.push(...(await response.text()).split('\n').filter(Boolean));
        cursor = response.headers.get('next-cursor');
      } while (cursor);
    }
    expect(exported).toHaveLength(5);
    const roundTrip = (await importLines(exported)).body;
    expect(roundTrip.counts).toMatchObject({ lines: 5, unchanged: 5, invalid: 0 });
    const imported = await eventually(tenant.tenantId, (all) => all.filter((e) => e['detail-type'] === 'CisImported').length >= 3);
    expect(imported.filter((e) => e['detail-type'] === 'CiCreated')).toEqual([]);
    expect(imported.find((e) => e['detail-type'] === 'CisImported')?.detail).toMatchObject({ lines: 10, created: 3, relationshipsAdded: 2, invalid: 5 });

    const changed = (await importLines([{ ...server(1), attributes: { hostname: 'srv-1', os: 'Linux' } }])).body;
    expect(changed.lines).toEqual([expect.objectContaining({ status: 'updated', ciId: ciIdForExternalId('cmdb:srv-1') })]);
  });

  it('refuses what is not JSON lines, and requesters and agents', async () => {
    const wrongType = await request('POST', '/cis/import', {
      token: tenant.manager.token,
      rawBody: ndjson([server(9)]),
      headers: { 'content-type': 'application/json' },
    });
    expect(wrongType.status).toBe(415);
    const agent = await request('POST', '/cis/import', {
      token: tenant.agent.token,
      rawBody: ndjson([server(9)]),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(agent.status).toBe(403);
  });

  it('measures CMDB health', async () => {
    const orphan = (await tenant.agent.call<Ci>('POST', '/cis', { body: { class: 'network_device', name: 'sw-1', ownerGroup: 'net', location: 'DC-1' } })).body;
    const health = (
      await tenant.agent.call<{
        cis: number;
        relationships: number;
        orphans: { count: number; sample: string[] };
        stale: { count: number };
        missingAttributes: { count: number; byAttribute: Record<string, number> };
      }>('GET', '/cmdb/health')
    ).body;
    expect(health).toMatchObject({ cis: 4, relationships: 2, stale: { count: 0 } });
    expect(health.orphans.sample).toEqual([orphan.id]);
    expect(health.missingAttributes.count).toBe(4);
    expect(health.missingAttributes.byAttribute).toMatchObject({ ownerGroup: 2, hostname: 1, ipAddress: 3 });
  });

  it('finds open incidents on a large impacted set through the open queues', async () => {
    const hub = { kind: 'ci', externalId: 'star:hub', class: 'storage', name: 'san' };
    const leaves = Array.from({ length: 60 }, (_, i) => ({ kind: 'ci', externalId: `star:${i}`, class: 'virtual_machine', name: `leaf-${i}` }));
    const edges = leaves.map((leaf) => ({ kind: 'relationship', from: { externalId: leaf.externalId }, type: 'depends_on', to: { externalId: 'star:hub' } }));
    const outside = { kind: 'ci', externalId: 'star:outside', class: 'server', name: 'outside' };
    expect((await importLines([hub, ...leaves, outside, ...edges])).body.counts).toMatchObject({ created: 62, added: 60 });
    const onLeaf = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ ciId: ciIdForExternalId('star:42') }) })).body;
    const elsewhere = (await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ ciId: ciIdForExternalId('star:outside') }) }))
      .body;
    const { body } = await tenant.agent.call<Impact & { cost: { incidentQueries: number } }>('GET', `/cis/${ciIdForExternalId('star:hub')}/impact?depth=1`);
    expect(body.impacted).toHaveLength(60);
    expect(body.openIncidents.map((i) => i.id)).toEqual([onLeaf.id]);
    expect(body.cost.incidentQueries).toBeLessThan(10);
    for (const incident of [onLeaf, elsewhere]) await tenant.manager.call('POST', `/incidents/${incident.id}/cancel`, { body: { reason: 'test' } });
  });
});
