/**
 * The route table is the single list: every route is served by exactly the
 * router its practice and access level name, through the very handler
 * module the route declares, and no router serves a route the table does
 * not have.
 */
import { describe, expect, it } from 'vitest';
import { type RouteSpec, routeFunctionOf, routeFunctionsOf, routeKey } from '#shared/http/route.js';
import type { RouteModules } from '#shared/http/router.js';
import { routes } from '#shared/http/routes.js';

const table = Object.values(routes) as RouteSpec[];
const functionsDir = new URL('../../../functions/', import.meta.url);
/** A module under `functions/` by its name without extension. */
const load = (name: string): Promise<unknown> => import(/* @vite-ignore */ new URL(`${name}.ts`, functionsDir).href);

const entries = [...new Set(table.map((route) => routeFunctionOf(route).entry))];

async function routerOf(entry: string): Promise<RouteModules> {
  return ((await load(entry)) as { routeModules: RouteModules }).routeModules;
}

describe('router functions', () => {
  it('are one per practice and access level: far fewer than routes', () => {
    expect(entries.length).toBeLessThanOrEqual(20);
    expect(table.length).toBeGreaterThan(4 * entries.length);
  });

  it.each(entries)('%s serves exactly the routes the table gives it', async (entry) => {
    const expected = table.filter((route) => routeFunctionOf(route).entry === entry).map(routeKey);
    expect(Object.keys(await routerOf(entry)).sort()).toEqual(expected.sort());
  });

  it.each(table.map((route) => [route.operationId, route] as const))('%s runs its declared handler module', async (_, route) => {
    const modules = await routerOf(routeFunctionOf(route).entry);
    const loaded = await modules[routeKey(route)]?.();
    const declared = (await load(route.handler)) as { handler: unknown };
    expect(loaded?.handler).toBe(declared.handler);
  });

  it('a function gets the widest access and the longest timeout of the routes it serves', () => {
    const functions = routeFunctionsOf(table);
    expect([...functions.keys()].sort()).toEqual([...entries].sort());
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
