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

export interface LocalUser {
  readonly userId: string;
  readonly tenantId: string;
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
        'custom:tenantId': user.tenantId,
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
