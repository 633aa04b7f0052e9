/**
 * The token authorizer's time rules, with tokens signed by the local issuer
 * (the same keys and claims the local runtime uses): a token must say when
 * it was issued and when it expires, live at most a day, and not come from
 * the future; a minute of clock skew is tolerated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer, type TokenIssuer } from '../../../../infra/local/token-issuer.js';

const ISSUER = 'http://127.0.0.1:1/local';
const user = { userId: 'u-1', tenantId: 'acme', name: 'U', email: 'u@example.com', roles: ['agent'] } as const;

let issuer: TokenIssuer;
let verifyBearer: (authorization: string | undefined) => Promise<unknown>;
let authorize: (event: { type: 'TOKEN'; authorizationToken: string; methodArn: string }) => Promise<{ usageIdentifierKey?: string; principalId: string }>;

beforeAll(async () => {
  issuer = createTokenIssuer(ISSUER);
  Object.assign(process.env, { JWT_ISSUER: ISSUER, JWT_AUDIENCE: issuer.audience, JWKS_URI: `${ISSUER}/jwks.json` });
  const authorizer = await import('../../../../functions/auth/authorizer.js');
  authorizer.verifier.cacheJwks(issuer.jwks as never);
  verifyBearer = authorizer.verifyBearer;
  authorize = authorizer.handler as never;
});

const now = () => Math.floor(Date.now() / 1000);
const bearer = (overrides?: Record<string, unknown>, expiresInSeconds?: number) =>
  `Bearer ${issuer.issue(user, { ...(overrides ? { overrides } : {}), ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }) })}`;

describe('token authorizer: time claims', () => {
  it('accepts what the local issuer issues by default', async () => {
    expect(await verifyBearer(bearer())).toEqual({ tenantId: 'acme', userId: 'u-1', roles: 'agent' });
  });

  it.each([
    { name: 'no exp', overrides: { exp: undefined } },
    { name: 'no iat', overrides: { iat: undefined } },
    { name: 'neither exp nor iat', overrides: { exp: undefined, iat: undefined } },
    { name: 'a string exp', overrides: { exp: String(now() + 3600) } },
    { name: 'iat two minutes in the future', overrides: { iat: now() + 120 } },
    { name: 'a lifetime of a day and a second', overrides: { iat: now(), exp: now() + 24 * 3600 + 1 } },
    { name: 'a year-long lifetime issued long ago', overrides: { iat: now() - 300 * 24 * 3600, exp: now() + 65 * 24 * 3600 } },
    { name: 'expired beyond the skew', overrides: { iat: now() - 3600, exp: now() - 61 } },
  ])('rejects a signed token with $name', async ({ overrides }) => {
    expect(await verifyBearer(bearer(overrides))).toBeNull();
  });

  it.each([
    { name: 'iat 30 s in the future (clock skew)', overrides: { iat: now() + 30 } },
    { name: 'exp 30 s ago (clock skew)', overrides: { iat: now() - 3600, exp: now() - 30 } },
    { name: 'exactly a day of lifetime', overrides: { iat: now(), exp: now() + 24 * 3600 } },
  ])('accepts a token with $name', async ({ overrides }) => {
    expect(await verifyBearer(bearer(overrides))).not.toBeNull();
  });
});

describe('token authorizer: the tenant usage key', () => {
  const methodArn = 'arn:aws:execute-api:eu-west-1:111122223333:abc123/dev/GET/incidents';

  it("returns the tenant's usage key, so the request is metered by its tier's usage plan", async () => {
    const { usageKeyOf } = await import('#shared/domain/tenant-limits.js');
    const result = await authorize({ type: 'TOKEN', authorizationToken: bearer(), methodArn });
    expect(result.principalId).toBe('acme/u-1');
    expect(result.usageIdentifierKey).toBe(usageKeyOf('acme'));
    const other = await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${issuer.issue({ ...user, tenantId: 'globex' })}`, methodArn });
    expect(other.usageIdentifierKey).not.toBe(result.usageIdentifierKey);
  });

  it('derives keys API Gateway accepts (20–128 characters) for any tenant id', async () => {
    const { usageKeyOf } = await import('#shared/domain/tenant-limits.js');
    for (const tenantId of ['a', 'acme', 'x'.repeat(128)]) expect(usageKeyOf(tenantId)).toMatch(/^itsm-tenant-[0-9a-f]{40}$/);
  });
});

describe('token authorizer: the platform operator', () => {
  const operatorUser = { userId: 'op-1', name: 'Op', email: 'op@platform.example', roles: ['platform-operator'] } as const;

  it('gives an operator token (the group, no tenant claim) the platform scope and that role only', async () => {
    expect(await verifyBearer(`Bearer ${issuer.issue(operatorUser)}`)).toEqual({ tenantId: 'platform', userId: 'op-1', roles: 'platform-operator' });
  });

  it('refuses a token with neither a tenant nor the operator group', async () => {
    expect(await verifyBearer(`Bearer ${issuer.issue({ ...operatorUser, roles: ['tenant-admin'] })}`)).toBeNull();
  });

  it('never makes a tenant user an operator, even in the operator group', async () => {
    const context = await verifyBearer(`Bearer ${issuer.issue({ ...user, roles: ['tenant-admin', 'platform-operator'] as never })}`);
    expect(context).toEqual({ tenantId: 'acme', userId: 'u-1', roles: 'tenant-admin' });
  });

  it('refuses a token that claims the reserved platform tenant', async () => {
    expect(await verifyBearer(bearer({ 'custom:tenantId': 'platform' }))).toBeNull();
  });
});
