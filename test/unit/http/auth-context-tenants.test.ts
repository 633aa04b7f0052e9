/**
 * The caller from the authorizer's context: the operator gets its role
 * only in the platform scope; a tenant that is not active is refused
 * before any handler work with 403 tenant-suspended.
 */
import { describe, expect, it } from 'vitest';
import { TenantSuspendedError, UnauthorizedError } from '#shared/domain/errors.js';
import { actorFromEvent, authorizeRoute } from '#shared/http/auth-context.js';
import { problemResponse } from '#shared/http/problem.js';

const event = (authorizer: Record<string, string> | null) => ({ requestContext: { authorizer } }) as never;

describe('actorFromEvent', () => {
  it('gives the operator the platform scope and only its role', () => {
    expect(actorFromEvent(event({ tenantId: 'platform', userId: 'op', roles: 'platform-operator,tenant-admin' }))).toEqual({
      tenantId: 'platform',
      userId: 'op',
      roles: ['platform-operator'],
    });
  });

  it('drops the operator role from a tenant user', () => {
    expect(actorFromEvent(event({ tenantId: 'acme', userId: 'u', roles: 'agent,platform-operator' })).roles).toEqual(['agent']);
  });

  it.each(['suspended', 'deleting', 'deleted'])('refuses a user of a %s tenant: 403 tenant-suspended', (status) => {
    const act = () => actorFromEvent(event({ tenantId: 'acme', userId: 'u', roles: 'agent', tenantStatus: status }));
    expect(act).toThrow(TenantSuspendedError);
    try {
      act();
    } catch (error) {
      const response = problemResponse(error);
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:itsm:problem:tenant-suspended', tenantId: 'acme', tenantStatus: status });
    }
  });

  it('still refuses a context without a caller', () => {
    expect(() => actorFromEvent(event(null))).toThrow(UnauthorizedError);
  });

  it('admits the operator to no tenant route, and no tenant role to an operator route', () => {
    const operatorActor = { tenantId: 'platform', userId: 'op', roles: ['platform-operator'] as const };
    expect(() => authorizeRoute(operatorActor, { path: '/incidents', roles: ['requester', 'agent'] })).toThrow();
    expect(() => authorizeRoute(operatorActor, { path: '/incidents/{id}', roles: ['requester', 'agent'] })).toThrow();
    const tenantAdmin = { tenantId: 'acme', userId: 'a', roles: ['tenant-admin'] as const };
    expect(() => authorizeRoute(tenantAdmin, { path: '/tenants', roles: ['platform-operator'] })).toThrow();
    expect(() => authorizeRoute(operatorActor, { path: '/tenants', roles: ['platform-operator'] })).not.toThrow();
  });
});
