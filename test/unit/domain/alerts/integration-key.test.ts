import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { integrationKeyKey } from '#shared/data/alerts/keys.js';
import {
  formatRoutingKey,
  generateSecret,
  hashSecret,
  type IntegrationKey,
  issueIntegrationKey,
  parseRoutingKey,
  revokeIntegrationKey,
  secretMatches,
} from '#shared/domain/alerts/integration-key.js';
import { ForbiddenError, UnauthorizedError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';

vi.stubEnv('TABLE_NAME', 'itsm-test');
vi.stubEnv('AWS_REGION', 'us-east-1');

let authenticateRoutingKey: typeof import('#shared/services/alerts/routing-key-auth.js').authenticateRoutingKey;
beforeAll(async () => {
  ({ authenticateRoutingKey } = await import('#shared/services/alerts/routing-key-auth.js'));
});

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  ddb.reset();
});

const KEY_ID = '01JH0000000000000000000000';
const NOW = '2025-03-01T12:00:00.000Z';
const admin: Actor = { tenantId: 'acme', userId: 'admin-1', roles: ['tenant-admin'] };
const SAFE_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@:-'];
const tenantIds = fc.string({ unit: fc.constantFrom(...SAFE_CHARS), minLength: 1, maxLength: 128 });

describe('routing keys', () => {
  it('a secret is 32 random bytes in base64url', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it('format and parse are inverse, for any tenant id (dots included)', () => {
    fc.assert(
      fc.property(tenantIds, (tenantId) => {
        const parts = { tenantId, keyId: KEY_ID, secret: generateSecret() };
        expect(parseRoutingKey(formatRoutingKey(parts))).toEqual(parts);
      }),
    );
    expect(parseRoutingKey(`acme.eu.${KEY_ID}.${'a'.repeat(43)}`)).toEqual({ tenantId: 'acme.eu', keyId: KEY_ID, secret: 'a'.repeat(43) });
  });

  it.each([
    ['empty', ''],
    ['a PagerDuty key', 'R0123456789ABCDEF0123456789ABCDE'],
    ['two parts', `${KEY_ID}.${'a'.repeat(43)}`],
    ['no tenant', `.${KEY_ID}.${'a'.repeat(43)}`],
    ['a tenant with a key separator', `TENANT#x.${KEY_ID}.${'a'.repeat(43)}`],
    ['a tenant with a space', `ac me.${KEY_ID}.${'a'.repeat(43)}`],
    ['a lower-case key id', `acme.${KEY_ID.toLowerCase()}.${'a'.repeat(43)}`],
    ['a short secret', `acme.${KEY_ID}.${'a'.repeat(42)}`],
    ['a padded secret', `acme.${KEY_ID}.${'a'.repeat(42)}=`],
    ['a trailing dot', `acme.${KEY_ID}.${'a'.repeat(43)}.`],
  ])('refuses %s', (_, value) => {
    expect(parseRoutingKey(value)).toBeNull();
  });

  it('compares secrets by hash', () => {
    const secret = generateSecret();
    const stored = hashSecret(secret);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(generateSecret(), stored)).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });
});

describe('issuing and revoking', () => {
  it('keeps only the hash and shows the routing key once', () => {
    const secret = generateSecret();
    const { key, routingKey } = issueIntegrationKey({ name: 'Alertmanager' }, { keyId: KEY_ID, secret }, { actor: admin, now: NOW });
    expect(routingKey).toBe(`acme.${KEY_ID}.${secret}`);
    expect(JSON.stringify(key)).not.toContain(secret);
    expect(key).toMatchObject({ keyId: KEY_ID, tenantId: 'acme', name: 'Alertmanager', createdBy: 'admin-1', revokedAt: null, version: 1 });
  });

  it('is for tenant admins only', () => {
    const manager: Actor = { tenantId: 'acme', userId: 'm', roles: ['manager'] };
    expect(() => issueIntegrationKey({ name: 'x' }, { keyId: KEY_ID, secret: generateSecret() }, { actor: manager, now: NOW })).toThrow(ForbiddenError);
  });

  it('revokes once', () => {
    const { key } = issueIntegrationKey({ name: 'x' }, { keyId: KEY_ID, secret: generateSecret() }, { actor: admin, now: NOW });
    const revoked = revokeIntegrationKey(key, { actor: admin, now: NOW });
    expect(revoked).toMatchObject({ revokedAt: NOW, revokedBy: 'admin-1', version: 2 });
    expect(revokeIntegrationKey(revoked as IntegrationKey, { actor: admin, now: NOW })).toBeNull();
  });
});

describe('authenticateRoutingKey', () => {
  const secret = generateSecret();
  const routingKey = `acme.${KEY_ID}.${secret}`;
  const { key } = issueIntegrationKey({ name: 'x' }, { keyId: KEY_ID, secret }, { actor: admin, now: NOW });
  const stored = { ...integrationKeyKey('acme', KEY_ID), entity: 'IntegrationKey', ...key };

  it('accepts the key it issued, with one consistent GetItem', async () => {
    ddb.on(GetCommand).resolves({ Item: stored });
    await expect(authenticateRoutingKey(routingKey)).resolves.toEqual({ tenantId: 'acme', keyId: KEY_ID });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ Key: integrationKeyKey('acme', KEY_ID), ConsistentRead: true });
  });

  it.each([
    { name: 'a malformed key (no read at all)', routingKey: 'nonsense', item: stored, reads: 0 },
    { name: 'an unknown key', routingKey, item: undefined, reads: 1 },
    { name: 'a wrong secret', routingKey: `acme.${KEY_ID}.${generateSecret()}`, item: stored, reads: 1 },
    { name: 'a revoked key', routingKey, item: { ...stored, revokedAt: NOW, revokedBy: 'admin-1' }, reads: 1 },
  ])('refuses $name with the same 401', async ({ routingKey: presented, item, reads }) => {
    ddb.on(GetCommand).resolves({ Item: item });
    const error = await authenticateRoutingKey(presented).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toBe('The routing key is not a valid integration key.');
    expect(ddb.commandCalls(GetCommand)).toHaveLength(reads);
  });

  it("looks the key up in the tenant the key names, so another tenant's key id finds nothing", async () => {
    ddb.on(GetCommand).resolves({});
    await expect(authenticateRoutingKey(`globex.${KEY_ID}.${secret}`)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual(integrationKeyKey('globex', KEY_ID));
  });
});
