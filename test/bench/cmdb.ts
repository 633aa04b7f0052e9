/**
 * The CMDB at volume, through the real API: a bulk import of 10 k CIs and
 * 20 k relationships (in requests of 5,000 lines, with bad lines mixed in),
 * then the DynamoDB calls and capacity of impact queries of depth 3 over
 * that graph, and of CMDB health over the whole tenant.
 */

import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import { ciIdForExternalId } from '#shared/domain/cmdb/ci.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

export interface ImportFigure extends CapacityReading {
  part: string;
  lines: number;
  seconds: number;
  counts: Record<string, number>;
}

export interface ImpactFigure extends CapacityReading {
  query: string;
  impacted: number;
  businessServices: number;
  rounds: number;
  ms: number;
}

export interface CmdbFigures {
  cis: number;
  relationships: number;
  badLines: number;
  badLinesWritten: number;
  imports: ImportFigure[];
  impacts: ImpactFigure[];
}

const TENANT = 'bench-cmdb';

/** A small deterministic generator, so every run builds the same graph. */
function prng(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

/** Class sizes (10,000 CIs) and relationship families (20,000 relationships). */
const CLASSES = [
  ['business_service', 50],
  ['application', 950],
  ['virtual_machine', 4000],
  ['server', 1000],
  ['database', 1500],
  ['network_device', 500],
  ['middleware', 1000],
  ['storage', 1000],
] as const;

function graph(scale: number) {
  const random = prng(42);
  const ext = (cls: string, i: number) => `bench:${cls}:${i}`;
  const count = Object.fromEntries(CLASSES.map(([cls, n]) => [cls, Math.round(n * scale)])) as Record<(typeof CLASSES)[number][0], number>;
  const cis = CLASSES.flatMap(([cls]) =>
    Array.from({ length: count[cls] }, (_, i) => ({
      kind: 'ci',
      externalId: ext(cls, i),
      class: cls,
      name: `${cls.replace('_', '-')}-${i}`,
      status: 'in_service',
      ownerGroup: `team-${i % 40}`,
      environment: 'production',
      ...(cls === 'business_service' ? { attributes: { serviceCode: `SVC-${String(i).padStart(4, '0')}`, catalogueStatus: 'live', slaTier: 'gold' } } : {}),
      ...(cls === 'server' || cls === 'virtual_machine'
        ? { attributes: { hostname: `${cls}-${i}.example`, ipAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } }
        : {}),
    })),
  );
  const seen = new Set<string>();
  const relationships: unknown[] = [];
  const relate = (fromCls: string, from: number, type: string, toCls: string, to: number) => {
    const key = `${fromCls}${from}${type}${toCls}${to}`;
    if (seen.has(key) || (fromCls === toCls && from === to)) return false;
    seen.add(key);
    relationships.push({ kind: 'relationship', from: { externalId: ext(fromCls, from) }, type, to: { externalId: ext(toCls, to) } });
    return true;
  };
  const n = count;
  for (let a = 0; a < n.application; a++) relate('business_service', a % n.business_service, 'depends_on', 'application', a);
  for (let v = 0; v < n.virtual_machine; v++) relate('application', v % n.application, 'runs_on', 'virtual_machine', v);
  for (let v = 0; v < n.virtual_machine; v++) relate('virtual_machine', v, 'runs_on', 'server', v % n.server);
  for (let d = 0; d < n.database; d++) relate('application', d % n.application, 'depends_on', 'database', d);
  for (let d = 0; d < n.database; d++) relate('database', d, 'runs_on', 'server', random(n.server));
  for (let m = 0; m < n.middleware; m++) relate('application', random(n.application), 'depends_on', 'middleware', m);
  for (let h = 0; h < n.server; h++) relate('server', h, 'connects_to', 'network_device', h % n.network_device);
  for (let s = 0; s < n.storage; s++) relate('server', s % n.server, 'depends_on', 'storage', s);
  // Fill up to twice the CI count with more of the same families, cross-application dependencies (cycles) included.
  const target = cis.length * 2;
  while (relationships.length < target) {
    switch (random(5)) {
      case 0:
        relate('application', random(n.application), 'depends_on', 'application', random(n.application));
        break;
      case 1:
        relate('application', random(n.application), 'depends_on', 'database', random(n.database));
        break;
      case 2:
        relate('server', random(n.server), 'connects_to', 'network_device', random(n.network_device));
        break;
      case 3:
        relate('application', random(n.application), 'depends_on', 'middleware', random(n.middleware));
        break;
      default:
        relate('server', random(n.server), 'depends_on', 'storage', random(n.storage));
    }
  }
  return { cis, relationships };
}

/** Lines that must be reported and never written. */
function badLines(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { kind: 'ci', externalId: `bench:bad:${i}`, class: 'server', name: `bad-${i}`, attributes: { cpuCount: -1 } }
      : { kind: 'ci', externalId: `bench:bad:${i}`, class: 'no_such_class', name: `bad-${i}` },
  );
}

export async function measureCmdb(stack: LocalStack, scale = 1): Promise<CmdbFigures> {
  const token = (roles: ('manager' | 'agent')[]) =>
    stack.tokenFor({ tenantId: TENANT, userId: `bench-${roles[0]}`, roles, name: 'Bench', email: 'bench@example.com' });
  const manager = token(['manager']);
  const agent = token(['agent']);
  const { cis, relationships } = graph(scale);
  const bad = badLines(20);
  const imports: ImportFigure[] = [];
  const send = async (part: string, lines: unknown[]) => {
    await stack.drainEvents();
    takeCapacityReading();
    const started = performance.now();
    const response = await fetch(`${stack.url}/cis/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/x-ndjson' },
      body: lines.map((line) => JSON.stringify(line)).join('\n'),
    });
    const seconds = (performance.now() - started) / 1000;
    const report = (await response.json()) as { counts: Record<string, number> };
    if (response.status !== 200) throw new Error(`Import ${part} answered ${response.status}: ${JSON.stringify(report)}`);
    imports.push({ part, lines: lines.length, seconds, counts: report.counts, ...takeCapacityReading() });
  };
  const PART = 5_000;
  // The bad lines ride in the first request, which then carries fewer good ones: at most 5,000 lines each.
  const ciParts = [[...bad, ...cis.slice(0, PART - bad.length)]];
  for (let i = PART - bad.length; i < cis.length; i += PART) ciParts.push(cis.slice(i, i + PART));
  let done = 0;
  for (const [index, lines] of ciParts.entries()) {
    const good = index === 0 ? lines.length - bad.length : lines.length;
    await send(`CIs ${done + 1}–${done + good}${index === 0 ? ` + ${bad.length} bad lines` : ''}`, lines);
    done += good;
  }
  for (let i = 0; i < relationships.length; i += PART) {
    const lines = relationships.slice(i, i + PART);
    await send(`relationships ${i + 1}–${i + lines.length}`, lines);
  }

  let badLinesWritten = 0;
  for (const line of bad) {
    const response = await fetch(`${stack.url}/cis/${ciIdForExternalId((line as { externalId: string }).externalId)}`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    if (response.status !== 404) badLinesWritten += 1;
  }

  const impacts: ImpactFigure[] = [];
  const ask = async (query: string, path: string) => {
    await stack.drainEvents();
    takeCapacityReading();
    const started = performance.now();
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${agent}` } });
    const ms = performance.now() - started;
    const body = (await response.json()) as { impacted?: unknown[]; businessServices?: unknown[]; cost?: { rounds: number } };
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
    impacts.push({
      query,
      impacted: body.impacted?.length ?? 0,
      businessServices: body.businessServices?.length ?? 0,
      rounds: body.cost?.rounds ?? 0,
      ms,
      ...takeCapacityReading(),
    });
  };
  const host = ciIdForExternalId('bench:server:3');
  const vm = ciIdForExternalId('bench:virtual_machine:3');
  const service = ciIdForExternalId('bench:business_service:3');
  const storage = ciIdForExternalId('bench:storage:3');
  await ask('warm-up', `/cis/${host}/impact?direction=upstream&depth=3`);
  impacts.length = 0;
  await ask('VM fails: upstream, depth 3', `/cis/${vm}/impact?direction=upstream&depth=3`);
  await ask('host fails: upstream, depth 3', `/cis/${host}/impact?direction=upstream&depth=3`);
  await ask('storage fails: upstream, depth 3', `/cis/${storage}/impact?direction=upstream&depth=3`);
  await ask('service: downstream, depth 3', `/cis/${service}/impact?direction=downstream&depth=3`);
  await ask('service: downstream, depth 3, maxNodes 100', `/cis/${service}/impact?direction=downstream&depth=3&maxNodes=100`);
  await ask('CMDB health (whole tenant)', '/cmdb/health');
  return { cis: cis.length, relationships: relationships.length, badLines: bad.length, badLinesWritten, imports, impacts };
}
