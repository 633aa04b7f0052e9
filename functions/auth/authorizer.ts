/**
 * The API's Lambda token authorizer. It verifies a Cognito ID token (RS256
 * signature against the pool's JWKS, issuer, audience, expiry) and passes
 * tenant, user and roles to the handlers. Nothing else in the request can
 * set them.
 * @module
 */

import { JwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { isSafeId } from '#shared/domain/identifiers.js';
import { isRole } from '#shared/domain/roles.js';
import { requiredEnv } from '#shared/env.js';
import type { AuthorizerContext } from '#shared/http/auth-context.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

const TENANT_CLAIM = 'custom:tenantId';
const GROUPS_CLAIM = 'cognito:groups';

/**
 * Exported so the local runtime can hand it the local issuer's keys
 * (`cacheJwks`): the library fetches JWKS over HTTPS only, and the local
 * issuer serves plain HTTP. Verification itself is the same code.
 */
export const verifier = JwtVerifier.create({
  issuer: requiredEnv('JWT_ISSUER'),
  audience: requiredEnv('JWT_AUDIENCE'),
  jwksUri: process.env.JWKS_URI ?? `${requiredEnv('JWT_ISSUER')}/.well-known/jwks.json`,
  customJwtCheck: ({ payload }) => {
    if (payload.token_use !== 'id') throw new Error('Only ID tokens carry the tenant');
    const tenant = payload[TENANT_CLAIM];
    if (!isSafeId(tenant)) throw new Error('Missing or malformed tenant claim');
    if (!isSafeId(payload.sub)) throw new Error('Malformed subject');
  },
});

/** The caller's context from a verified token, or null when the token does not verify. */
export async function verifyBearer(authorization: string | undefined): Promise<AuthorizerContext | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const payload = await verifier.verify(token);
    const groups = payload[GROUPS_CLAIM];
    const roles = (Array.isArray(groups) ? groups : []).filter((group): group is string => typeof group === 'string' && isRole(group));
    return { tenantId: payload[TENANT_CLAIM] as string, userId: payload.sub as string, roles: roles.join(',') };
  } catch (error) {
    logger.info('Token rejected', { reason: (error as Error).message });
    return null;
  }
}

/**
 * Allows every method of the API for a valid token, so API Gateway can
 * cache the decision per token; each handler checks roles itself.
 */
async function handle(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const context = await verifyBearer(event.authorizationToken);
  // API Gateway answers 401 only for this exact message.
  if (!context) throw new Error('Unauthorized');
  const [arn = '', stage = ''] = event.methodArn.split('/');
  return {
    principalId: `${context.tenantId}/${context.userId}`,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*` }] },
    context: { ...context },
  };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('auth/authorizer', handle);
