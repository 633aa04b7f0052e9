/**
 * The route table's half of the 404-before-403 rule (`authorizeRoute` in
 * shared/http/auth-context.ts): every route on one record admits the same
 * roles, those that may see records of that kind. A route refusing a role
 * that may see the record would answer 404 for a record the caller can read
 * elsewhere; that finer rule belongs to the domain, after the record was
 * found (403).
 */
import { describe, expect, it } from 'vitest';
import { hasRole, ROLES, type Role } from '#shared/domain/roles.js';
import { namesRecord } from '#shared/http/auth-context.js';
import type { RouteSpec } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';

/** The record a route acts on: its path up to the first parameter (`/cis/{id}` for `/cis/{id}/relationships/{type}/{otherId}`). */
const recordOf = (path: string) => path.slice(0, path.indexOf('}') + 1);
const admitted = (route: RouteSpec) => ROLES.filter((role) => route.roles !== 'public' && route.roles.some((allowed) => hasRole({ roles: [role] }, allowed)));

const byRecord = new Map<string, RouteSpec[]>();
for (const route of Object.values(routes) as RouteSpec[]) {
  if (!namesRecord(route.path)) continue;
  byRecord.set(recordOf(route.path), [...(byRecord.get(recordOf(route.path)) ?? []), route]);
}

describe('roles of the routes on a record', () => {
  it.each([...byRecord].map(([record, list]) => ({ record, list })))('$record: every route admits the same roles', ({ list }) => {
    const seen = new Map<string, Role[]>(list.map((route) => [`${route.method} ${route.path}`, admitted(route)]));
    const first = [...seen.values()][0];
    for (const roles of seen.values()) expect(roles).toEqual(first);
  });

  it('covers routes on records, none of them public', () => {
    expect(byRecord.size).toBeGreaterThan(10);
    for (const list of byRecord.values()) for (const route of list) expect(route.roles).not.toBe('public');
  });
});
