/**
 * The API's Lambda token authorizer. It verifies a Cognito ID token (RS256
 * signature against the pool's JWKS, issuer, audience, a bounded lifetime:
 * `exp` and `iat` required) and passes tenant, user and roles to the
 * handlers. Nothing else in the request can set them. The local runtime
 * runs this same module (`infra/local/local-stack.ts`).
 * @module
 */

import { JwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { tenantStatusOf } from '#shared/data/tenants/tenant-repository.js';
import { isSafeId } from '#shared/domain/identifiers.js';
import { isRole, PLATFORM_OPERATOR, PLATFORM_SCOPE } from '#shared/domain/roles.js';
import { usageKeyOf } from '#shared/domain/tenant-limits.js';
import { requiredEnv } from '#shared/env.js';
import type { AuthorizerContext } from '#shared/http/auth-context.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

const TENANT_CLAIM = 'custom:tenantId';
const GROUPS_CLAIM = 'cognito:groups';

/**
 * The longest lifetime (`exp - iat`) a token may have. Cognito issues ID
 * tokens valid for at most one day, so a longer-lived token did not come from
 * the pool's normal flow (a leaked signing key, a misconfigured client): it
 * would otherwise stay usable for as long as its forger likes.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * How far the issuer's clock may be ahead of ours (for `iat` and `nbf`) or
 * behind (for `exp`): Cognito's and Lambda's clocks are NTP-synced, so a
 * minute covers drift without extending a token's life meaningfully.
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The time claims every token must carry: `exp` and `iat` present, `iat`
 * not in the future beyond the skew, and a lifetime no longer than
 * {@link MAX_TOKEN_LIFETIME_SECONDS}. aws-jwt-verify checks `exp` only when
 * present, so a signed token without one would never expire.
 */
export function checkTokenTimes(payload: { exp?: unknown; iat?: unknown }, nowSeconds = Date.now() / 1000): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new Error('Missing expiry (exp)');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new Error('Missing issue time (iat)');
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new Error('Issued in the future (iat)');
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`Lifetime over ${MAX_TOKEN_LIFETIME_SECONDS} s`);
}

/**
 * Exported so the local runtime can hand it the local issuer's keys
 * (`cacheJwks`): the library fetches JWKS over HTTPS only, and the local
 * issuer serves plain HTTP. Verification itself is the same code.
 */
export const verifier = JwtVerifier.create({
  issuer: requiredEnv('JWT_ISSUER'),
  audience: requiredEnv('JWT_AUDIENCE'),
  jwksUri: process.env.JWKS_URI ?? `${requiredEnv('JWT_ISSUER')}/.well-known/jwks.json`,
  graceSeconds: CLOCK_SKEW_SECONDS,
  customJwtCheck: ({ payload }) => {
    checkTokenTimes(payload);
    if (payload.token_use !== 'id') throw new Error('Only ID tokens carry the tenant');
    const tenant = payload[TENANT_CLAIM];
    if (tenant === undefined) {
      // Only the platform operator belongs to no tenant; any other token without one is refused.
      if (!isOperatorToken(payload)) throw new Error('Missing tenant claim');
    } else if (!isSafeId(tenant) || tenant === PLATFORM_SCOPE) throw new Error('Missing or malformed tenant claim');
    if (!isSafeId(payload.sub)) throw new Error('Malformed subject');
  },
});

/**
 * A platform operator's token: the `platform-operator` group and no tenant
 * claim. The claim is immutable and set for every user a tenant admin
 * invites, so no tenant user can turn into an operator by joining the group.
 */
function isOperatorToken(payload: Record<string, unknown>): boolean {
  const groups = payload[GROUPS_CLAIM];
  return payload[TENANT_CLAIM] === undefined && Array.isArray(groups) && groups.includes(PLATFORM_OPERATOR);
}

/**
 * The caller's context from a verified token, or null when the token does
 * not verify. The operator gets the platform scope as its tenant and only
 * its own role; a tenant user gets its tenant's roles (never the
 * operator's) and, when its tenant is not active, the status, which the
 * handlers answer with 403 `tenant-suspended` (the status is read from the
 * tenant register, cached per container for 30 s).
 */
export async function verifyBearer(authorization: string | undefined): Promise<AuthorizerContext | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  let payload: Record<string, unknown>;
  try {
    payload = (await verifier.verify(token)) as Record<string, unknown>;
  } catch (error) {
    logger.info('Token rejected', { reason: (error as Error).message });
    return null;
  }
  if (isOperatorToken(payload)) return { tenantId: PLATFORM_SCOPE, userId: payload.sub as string, roles: PLATFORM_OPERATOR };
  const groups = payload[GROUPS_CLAIM];
  const roles = (Array.isArray(groups) ? groups : []).filter((group): group is string => typeof group === 'string' && isRole(group));
  const tenantId = payload[TENANT_CLAIM] as string;
  const status = await tenantStatusOf(tenantId);
  return { tenantId, userId: payload.sub as string, roles: roles.join(','), ...(status === 'active' ? {} : { tenantStatus: status }) };
}

/**
 * Allows every method of the API for a valid token, so API Gateway can
 * cache the decision per token; each handler checks roles itself. The
 * tenant's usage key puts the request in its tier's usage plan (rate and
 * burst per tenant).
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
    // Meters the request against the usage plan of the tenant's tier (API key source AUTHORIZER).
    usageIdentifierKey: usageKeyOf(context.tenantId),
  };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('auth/authorizer', handle);
