/**
 * The route table is the single list: every router function's entry is
 * generated from it (the bundle) or built from it (the local server), so
 * every route is served by exactly the function its practice and access
 * level name, through the very handler module the route declares, and no
 * function serves a route the table does not have.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RouteSpec, routeFunctionOf, routeFunctionsOf, routeKey } from '#shared/http/route.js';
import { createRouter, routeModulesOf } from '#shared/http/router.js';
import { routes } from '#shared/http/routes.js';
import { routerEntrySource } from '../../../infra/constructs/bundling.js';

const table = Object.values(routes) as RouteSpec[];
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const functionsDir = new URL('../../../functions/', import.meta.url);
/** A module under `functions/` by its name without extension. */
const load = (name: string) => import(/* @vite-ignore */ new URL(`${name}.ts`, functionsDir).href) as Promise<{ handler: never }>;

const functions = routeFunctionsOf(table);
const entries = [...functions.keys()];

/** The `key → file` pairs a generated entry imports lazily. */
function lazyImports(source: string): Map<string, string> {
  return new Map([...source.matchAll(/^ {2}("[^"]+"): \(\) => import\(("[^"]+")\),$/gm)].map((m) => [JSON.parse(m[1] as string), JSON.parse(m[2] as string)]));
}

describe('router functions', () => {
  it('are one per practice and access level: far fewer than routes', () => {
    // Read and write per practice, plus the few `-long` variants of bulk routes: the count follows the practices, not the routes.
    const practices = new Set(table.map((route) => route.handler.split('/')[0])).size;
    expect(entries.length).toBeLessThanOrEqual(2 * practices + 3);
    expect(table.length).toBeGreaterThan(4 * entries.length);
  });

  it.each(entries)('%s: the generated entry imports exactly its routes, each from its declared handler file', (entry) => {
    const fn = functions.get(entry);
    if (!fn) throw new Error(entry);
    const expected = table.filter((route) => routeFunctionOf(route).entry === entry);
    const imports = lazyImports(routerEntrySource(fn));
    expect([...imports.keys()].sort()).toEqual(expected.map(routeKey).sort());
    for (const route of expected) expect(imports.get(routeKey(route))).toBe(resolve(repoRoot, 'functions', `${route.handler}.ts`));
  });

  it.each(entries)('%s: loads the data client at init exactly when it has table access', (entry) => {
    const fn = functions.get(entry);
    if (!fn) throw new Error(entry);
    const eager = routerEntrySource(fn).includes(`import ${JSON.stringify(resolve(repoRoot, 'shared/data/client.ts'))};`);
    expect(eager).toBe(fn.access !== 'none');
  });

  it.each(table.map((route) => [route.operationId, route] as const))('%s runs its declared handler module', async (_, route) => {
    const fn = functions.get(routeFunctionOf(route).entry);
    const modules = routeModulesOf(fn?.routes ?? [], load);
    const loaded = await modules[routeKey(route)]?.();
    const declared = await load(route.handler);
    expect(typeof declared.handler).toBe('function');
    expect(loaded?.handler).toBe(declared.handler);
  });

  it('answers a route it does not serve as the gateway would: 404 problem, no module loaded', async () => {
    let loads = 0;
    const router = createRouter(
      routeModulesOf([{ method: 'GET', path: '/things', handler: 'x' }], async () => {
        loads++;
        return { handler: async () => ({ statusCode: 200, body: '' }) };
      }),
    );
    const answer = await router({ httpMethod: 'GET', resource: '/other', path: '/other' } as never, {} as never);
    expect(answer.statusCode).toBe(404);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(loads).toBe(0);
  });

  it('a function gets the widest access and the longest timeout of the routes it serves', () => {
    expect(functions.get('incidents/write')?.access).toBe('write');
    expect(functions.get('incidents/read')?.access).toBe('read');
    expect(functions.get('platform/read')?.access).toBe('none');
    expect(functions.get('cmdb/read')?.access).toBe('read');
    expect(functions.get('cmdb/write-long')?.timeoutSeconds).toBe(29);
    expect(functions.get('incidents/read')?.timeoutSeconds).toBe(0);
    expect([...functions.values()].flatMap((fn) => fn.routes)).toHaveLength(table.length);
  });

  it('long routes get the long variant; none-access routes the read function', () => {
    const fn = (name: keyof typeof routes) => routeFunctionOf(routes[name] as RouteSpec).name;
    expect(fn('importCis')).toBe('cmdb-write-long');
    expect(fn('getOpenApi')).toBe('platform-read');
    expect(fn('createIncident')).toBe('incidents-write');
    expect(fn('getIncident')).toBe('incidents-read');
  });
});
