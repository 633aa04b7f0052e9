/**
 * Reads the caller from the authorizer's context. API Gateway (or the local
 * server) puts it there after verifying the token; nothing from the path,
 * query or body can change the tenant or the roles.
 * @module
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, NotFoundError, TenantSuspendedError, UnauthorizedError } from '#shared/domain/errors.js';
import { type Actor, hasRole, isRole, PLATFORM_OPERATOR, PLATFORM_SCOPE, type Role } from '#shared/domain/roles.js';

/** What the authorizer puts in `requestContext.authorizer` (string values only). */
export interface AuthorizerContext {
  tenantId: string;
  userId: string;
  /** Comma-separated roles: API Gateway context values must be scalars. */
  roles: string;
  /**
   * The tenant's status when it is not `active` (`suspended`, `deleting`,
   * `deleted`), as the authorizer read it from the tenant register; absent
   * for an active tenant and for the operator.
   */
  tenantStatus?: string;
}

/**
 * The caller, from the authorizer's context. A caller of a tenant that is
 * not active is refused here, before any handler runs: 403
 * `tenant-suspended` (one check per request, on a value the authorizer
 * already holds; no extra read). The operator's roles are exactly
 * `platform-operator`; a tenant user's never include it.
 */
export function actorFromEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Actor {
  const context = event.requestContext?.authorizer as Partial<AuthorizerContext> | null | undefined;
  if (!context?.tenantId || !context.userId) throw new UnauthorizedError('No verified caller.');
  const granted = (context.roles ?? '').split(',');
  if (context.tenantId === PLATFORM_SCOPE) {
    return { tenantId: PLATFORM_SCOPE, userId: context.userId, roles: granted.includes(PLATFORM_OPERATOR) ? [PLATFORM_OPERATOR] : [] };
  }
  if (context.tenantStatus) throw new TenantSuspendedError(context.tenantId, context.tenantStatus);
  return { tenantId: context.tenantId, userId: context.userId, roles: granted.filter(isRole) };
}

/** Throws 403 unless the actor holds one of `allowed`. */
export function requireRole(actor: Actor, allowed: readonly Role[]): void {
  if (!allowed.some((role) => hasRole(actor, role))) {
    throw new ForbiddenError(`This operation needs one of the roles: ${allowed.join(', ')}.`);
  }
}

/** Whether `path` (an API Gateway template) names a record: it has a path parameter. */
export function namesRecord(path: string): boolean {
  return path.includes('{');
}

/**
 * The route-level role check, the one place a route refuses a role:
 *
 * - a route that names a record (a path parameter) and that the role may
 *   not use answers 404: every route on a record admits exactly the roles
 *   that may see records of that kind (the route table's rule, tested in
 *   `test/unit/http/route-roles.test.ts`), so for this role the record does
 *   not exist, whether it does in some tenant or not;
 * - any other route answers 403.
 *
 * A role that may see the record but not take the action is refused by the
 * domain rule after the record was found visible (403), or answered 404
 * when it was not; see docs/tenant-isolation.md.
 */
export function authorizeRoute(actor: Actor, route: { readonly path: string; readonly roles: readonly Role[] }): void {
  if (route.roles.some((role) => hasRole(actor, role))) return;
  if (namesRecord(route.path)) throw new NotFoundError('No such record.');
  requireRole(actor, route.roles);
}
