/**
 * Reads the caller from the authorizer's context. API Gateway (or the local
 * server) puts it there after verifying the token; nothing from the path,
 * query or body can change the tenant or the roles.
 * @module
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '#shared/domain/errors.js';
import { type Actor, hasRole, isRole, type Role } from '#shared/domain/roles.js';

/** What the authorizer puts in `requestContext.authorizer` (string values only). */
export interface AuthorizerContext {
  tenantId: string;
  userId: string;
  /** Comma-separated roles: API Gateway context values must be scalars. */
  roles: string;
}

export function actorFromEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Actor {
  const context = event.requestContext?.authorizer as Partial<AuthorizerContext> | null | undefined;
  if (!context?.tenantId || !context.userId) throw new UnauthorizedError('No verified caller.');
  const roles = (context.roles ?? '').split(',').filter(isRole);
  return { tenantId: context.tenantId, userId: context.userId, roles };
}

/** Throws 403 unless the actor holds one of `allowed`. */
export function requireRole(actor: Actor, allowed: readonly Role[]): void {
  if (!allowed.some((role) => hasRole(actor, role))) {
    throw new ForbiddenError(`This operation needs one of the roles: ${allowed.join(', ')}.`);
  }
}
