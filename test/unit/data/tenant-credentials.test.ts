/**
 * Tenant-confined credentials: one AssumeRole per tenant per container,
 * tagged with the tenant id, reused until five minutes before expiry; and
 * the data client picks them only inside a tenant scope with a tenant role.
 */
import { AssumeRoleCommand, type AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scopedDocumentClient } from '#shared/data/client.js';
import { REFRESH_MARGIN_MS, sessionNameOf, TenantCredentialCache } from '#shared/data/tenant-credentials.js';
import { runInTenantScope } from '#shared/data/tenant-scope.js';

const ROLE = 'arn:aws:iam::111122223333:role/TenantDataWrite';
const HOUR = 3_600_000;
const sts = mockClient(STSClient);
let now = Date.parse('2026-12-01T10:00:00Z');
let issued = 0;

beforeEach(() => {
  sts.reset();
  issued = 0;
  now = Date.parse('2026-12-01T10:00:00Z');
  sts.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommandInput) => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `AKIA-${input.Tags?.[0]?.Value}-${issued}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(now + HOUR),
      },
    };
  });
});

const cache = () => new TenantCredentialCache(ROLE, new STSClient({ region: 'us-east-1' }), () => now);
const assumeInputs = () => sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);

describe('TenantCredentialCache', () => {
  it('assumes the tenant role with the tenant id as the tenantId session tag', async () => {
    const credentials = await cache().credentialsFor('acme');
    expect(credentials).toMatchObject({ accessKeyId: 'AKIA-acme-1', secretAccessKey: 'secret', sessionToken: 'token' });
    expect(assumeInputs()).toEqual([{ RoleArn: ROLE, RoleSessionName: 'tenant-acme', DurationSeconds: 3600, Tags: [{ Key: 'tenantId', Value: 'acme' }] }]);
  });

  it('calls AssumeRole once per tenant, however many requests and however concurrent', async () => {
    const credentials = cache();
    await Promise.all([credentials.credentialsFor('acme'), credentials.credentialsFor('acme'), credentials.credentialsFor('globex')]);
    for (let i = 0; i < 10; i += 1) await credentials.credentialsFor('acme');
    expect((await credentials.credentialsFor('globex')).accessKeyId).toMatch(/^AKIA-globex-/);
    expect(assumeInputs().map((input) => input.Tags?.[0]?.Value)).toEqual(['acme', 'globex']);
  });

  it('reuses the credentials until five minutes before they expire, then assumes again', async () => {
    const credentials = cache();
    await credentials.credentialsFor('acme');
    now += HOUR - REFRESH_MARGIN_MS - 1000;
    expect((await credentials.credentialsFor('acme')).accessKeyId).toBe('AKIA-acme-1');
    now += 2000;
    expect((await credentials.credentialsFor('acme')).accessKeyId).toBe('AKIA-acme-2');
    expect(issued).toBe(2);
  });

  it('does not cache a failed AssumeRole', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: new Date(now + HOUR) } });
    const credentials = cache();
    await expect(credentials.credentialsFor('acme')).rejects.toThrow('throttled');
    expect((await credentials.credentialsFor('acme')).accessKeyId).toBe('A');
  });

  it('makes a valid role session name of any tenant id', () => {
    expect(sessionNameOf('acme:eu')).toBe('tenant-acme_eu');
    expect(sessionNameOf('x'.repeat(128))).toHaveLength(64);
  });
});

describe('scopedDocumentClient', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is the function role outside a scope, and without a tenant role (locally) inside one too', () => {
    vi.stubEnv('TENANT_ROLE_ARN', '');
    const own = scopedDocumentClient();
    expect(runInTenantScope('acme', () => scopedDocumentClient())).toBe(own);
    vi.stubEnv('TENANT_ROLE_ARN', ROLE);
    expect(scopedDocumentClient()).toBe(own);
  });

  it('is one client per tenant, with the tenant credentials, inside a scope when a tenant role is set', async () => {
    vi.stubEnv('TENANT_ROLE_ARN', ROLE);
    const own = scopedDocumentClient();
    const acme = runInTenantScope('acme', () => scopedDocumentClient());
    expect(acme).not.toBe(own);
    expect(runInTenantScope('acme', () => scopedDocumentClient())).toBe(acme);
    expect(runInTenantScope('globex', () => scopedDocumentClient())).not.toBe(acme);
    const credentials = await acme.config.credentials();
    expect(credentials.accessKeyId).toMatch(/^AKIA-acme-/);
    expect(assumeInputs().at(-1)?.Tags).toEqual([{ Key: 'tenantId', Value: 'acme' }]);
  });
});
