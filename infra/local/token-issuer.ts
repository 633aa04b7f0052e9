/**
 * A local stand-in for the Cognito user pool: an RSA key, its JWKS, and ID
 * tokens shaped like Cognito's (`custom:tenantId`, `cognito:groups`,
 * `token_use: id`), verified by the same authorizer as in AWS.
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role } from '#shared/domain/roles.js';
import { sendJson } from './http-json.js';
import type { ServiceEndpoint } from './http-server.js';

export interface LocalUser {
  readonly userId: string;
  /** Absent for the platform operator only: its token carries no `custom:tenantId`. */
  readonly tenantId?: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
}

export interface TokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { keys: Record<string, unknown>[] };
  issue(user: LocalUser, options?: { expiresInSeconds?: number; overrides?: Record<string, unknown> }): string;
}

/** The local pool's app client id, i.e. the tokens' audience. */
export const LOCAL_AUDIENCE = 'itsm-local-client';

/**
 * Creates the issuer. With `keyFile`, the signing key is kept there so dev
 * tokens printed earlier stay valid after a restart.
 */
export function createTokenIssuer(issuer: string, keyFile?: string): TokenIssuer {
  const privateKey = loadOrCreateKey(keyFile);
  const kid = createPublicKey(privateKey).export({ format: 'jwk' }).n?.slice(0, 16) ?? randomUUID();
  const publicJwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [publicJwk] },
    issue(user, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        sub: user.userId,
        iss: issuer,
        aud: LOCAL_AUDIENCE,
        token_use: 'id',
        auth_time: now,
        iat: now,
        exp: now + (options.expiresInSeconds ?? 12 * 3600),
        email: user.email,
        name: user.name,
        ...(user.tenantId === undefined ? {} : { 'custom:tenantId': user.tenantId }),
        'cognito:groups': [...user.roles],
        ...options.overrides,
      };
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const signingInput = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(payload)}`;
      return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
    },
  };
}

function loadOrCreateKey(keyFile: string | undefined): KeyObject {
  if (keyFile && existsSync(keyFile)) return createPrivateKey(readFileSync(keyFile, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  return privateKey;
}

/** `127.0.0.1`, `localhost` or `[::1]`, with any port: the names a caller on this machine uses. */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * `GET /local/tokens`: a fresh dev token for each demo user, by user id
 * (`{"acme-agent": "eyJ…", …}`), so scripts need no copy and paste. It is
 * the one `/local/*` endpoint without a token (it is how one gets one). The
 * server listens on loopback only, so only this machine reaches it; a web
 * page open in a browser on it is refused: its request carries an `Origin`
 * header, or, rebinding its own domain name to 127.0.0.1, a `Host` header
 * that is not a loopback name.
 */
export function devTokensEndpoint(tokens: () => Record<string, string>): ServiceEndpoint {
  return (request, response) => {
    if (request.url !== '/local/tokens') return false;
    if (request.method !== 'GET') {
      sendJson(response, 405, { title: 'Only GET is allowed' }, 'application/problem+json');
    } else if (!LOOPBACK_HOST.test(request.headers.host ?? '') || request.headers.origin !== undefined) {
      sendJson(
        response,
        403,
        { title: 'Dev tokens are served to scripts on this machine only (no Origin header, a loopback Host)' },
        'application/problem+json',
      );
    } else {
      response.setHeader('cache-control', 'no-store');
      sendJson(response, 200, tokens());
    }
    return true;
  };
}
