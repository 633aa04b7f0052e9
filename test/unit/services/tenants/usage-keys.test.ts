/**
 * The API Gateway adapter of the usage-key port, against a mocked client:
 * the tenant's key (value and name `usageKeyOf`) is created once and kept
 * in its tier's plan only; every step tolerates what a half-finished
 * earlier attempt left, so a retry converges; revoke empties the plans and
 * deletes the key.
 */
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TenantTier, usageKeyOf } from '#shared/domain/tenant-limits.js';
import { apiGatewayUsageKeys, syncUsageKey, type UsageKeys, usagePlanIdsOf } from '#shared/services/tenants/usage-keys.js';

const gateway = mockClient(APIGatewayClient);
const keys = apiGatewayUsageKeys(new APIGatewayClient({ region: 'us-east-1' }), { trial: 'plan-trial', standard: 'plan-standard', premium: 'plan-premium' });
const KEY = usageKeyOf('initech');
const conflict = () => new ConflictException({ message: 'exists', $metadata: {} });
const notFound = () => new NotFoundException({ message: 'gone', $metadata: {} });

const ddb = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME = 'itsm-test';
});

afterEach(() => {
  gateway.reset();
  ddb.reset();
});

const calls = () =>
  gateway.calls().map((call) => {
    const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    const input = command.input;
    return `${command.constructor.name.replace('Command', '')} ${String(input.usagePlanId ?? input.apiKey ?? input.name ?? input.nameQuery ?? '')}`.trim();
  });

describe('apiGatewayUsageKeys', () => {
  it("creates the tenant's key (value = name = usageKeyOf) and puts it in its tier's plan only", async () => {
    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'other', name: `${KEY}x` }] });
    gateway.on(CreateApiKeyCommand).resolves({ id: 'key-1' });
    gateway.on(DeleteUsagePlanKeyCommand).rejects(notFound());
    gateway.on(CreateUsagePlanKeyCommand).resolves({});

    await keys.assign('initech', 'trial');

    expect(gateway.commandCalls(CreateApiKeyCommand)[0]?.args[0].input).toMatchObject({ name: KEY, value: KEY, enabled: true, customerId: 'initech' });
    expect(gateway.commandCalls(CreateUsagePlanKeyCommand).map((call) => call.args[0].input)).toEqual([
      { usagePlanId: 'plan-trial', keyId: 'key-1', keyType: 'API_KEY' },
    ]);
    // Out of the other plans before it joins its own: a key may be in one plan per stage.
    expect(calls()).toEqual([
      `GetApiKeys ${KEY}`,
      `CreateApiKey ${KEY}`,
      'DeleteUsagePlanKey plan-standard',
      'DeleteUsagePlanKey plan-premium',
      'CreateUsagePlanKey plan-trial',
    ]);
  });

  it('moves an existing key to the plan of the new tier (a tier change), creating nothing', async () => {
    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'key-1', name: KEY }] });
    gateway.on(DeleteUsagePlanKeyCommand, { usagePlanId: 'plan-trial' }).resolves({});
    gateway.on(DeleteUsagePlanKeyCommand, { usagePlanId: 'plan-standard' }).rejects(notFound());
    gateway.on(CreateUsagePlanKeyCommand).resolves({});

    await keys.assign('initech', 'premium');

    expect(gateway.commandCalls(CreateApiKeyCommand)).toHaveLength(0);
    expect(gateway.commandCalls(DeleteUsagePlanKeyCommand).map((call) => call.args[0].input)).toEqual([
      { usagePlanId: 'plan-trial', keyId: 'key-1' },
      { usagePlanId: 'plan-standard', keyId: 'key-1' },
    ]);
    expect(gateway.commandCalls(CreateUsagePlanKeyCommand)[0]?.args[0].input).toMatchObject({ usagePlanId: 'plan-premium', keyId: 'key-1' });
  });

  it('converges after a partial failure: the key created and already in its plan is found, not duplicated', async () => {
    // First attempt: the key is created, then joining the plan fails.
    gateway
      .on(GetApiKeysCommand)
      .resolvesOnce({ items: [] })
      .resolvesOnce({ items: [{ id: 'x', name: 'itsm-tenant-else' }], position: 'p2' })
      .resolves({ items: [{ id: 'key-1', name: KEY }] });
    gateway.on(CreateApiKeyCommand).resolves({ id: 'key-1' });
    gateway.on(DeleteUsagePlanKeyCommand).rejects(notFound());
    gateway.on(CreateUsagePlanKeyCommand).rejectsOnce(new Error('Rate exceeded'));
    await expect(keys.assign('initech', 'standard')).rejects.toThrow('Rate exceeded');
    // The retry finds the key by name (over a second page) and meets it in its plan already.
    gateway.on(CreateUsagePlanKeyCommand).rejects(conflict());

    await keys.assign('initech', 'standard');

    expect(gateway.commandCalls(CreateApiKeyCommand)).toHaveLength(1);
    expect(gateway.commandCalls(GetApiKeysCommand).at(-1)?.args[0].input).toMatchObject({ nameQuery: KEY, position: 'p2' });
  });

  it('takes the key another attempt created meanwhile (409 on create): found by name', async () => {
    gateway
      .on(GetApiKeysCommand)
      .resolvesOnce({ items: [] })
      .resolves({ items: [{ id: 'key-2', name: KEY }] });
    gateway.on(CreateApiKeyCommand).rejects(conflict());
    gateway.on(DeleteUsagePlanKeyCommand).rejects(notFound());
    gateway.on(CreateUsagePlanKeyCommand).resolves({});

    await keys.assign('initech', 'trial');

    expect(gateway.commandCalls(CreateUsagePlanKeyCommand)[0]?.args[0].input).toMatchObject({ keyId: 'key-2' });
  });

  it('lets an unexpected failure through (an outage answers 503 upstream), and a 409 with no key to find', async () => {
    gateway.on(GetApiKeysCommand).rejects(new Error('boom'));
    await expect(keys.assign('initech', 'trial')).rejects.toThrow('boom');
    gateway.reset();
    gateway.on(GetApiKeysCommand).resolves({ items: [] });
    gateway.on(CreateApiKeyCommand).rejects(conflict());
    await expect(keys.assign('initech', 'trial')).rejects.toBeInstanceOf(ConflictException);
    gateway.reset();
    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'key-1', name: KEY }] });
    gateway.on(DeleteUsagePlanKeyCommand).rejects(new Error('denied'));
    await expect(keys.revoke('initech')).rejects.toThrow('denied');
  });

  it('revokes: out of every plan, key deleted; an absent key or plan membership is fine, so a retry converges', async () => {
    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'key-1', name: KEY }] });
    gateway.on(DeleteUsagePlanKeyCommand).rejects(notFound());
    gateway.on(DeleteUsagePlanKeyCommand, { usagePlanId: 'plan-standard' }).resolves({});
    gateway.on(DeleteApiKeyCommand).rejects(notFound());

    await keys.revoke('initech');

    expect(calls()).toEqual([
      `GetApiKeys ${KEY}`,
      'DeleteUsagePlanKey plan-trial',
      'DeleteUsagePlanKey plan-standard',
      'DeleteUsagePlanKey plan-premium',
      'DeleteApiKey key-1',
    ]);
    gateway.reset();
    gateway.on(GetApiKeysCommand).resolves({ items: [] });
    await keys.revoke('initech');
    expect(calls()).toEqual([`GetApiKeys ${KEY}`]);
  });

  it('reads the plan ids of every tier from USAGE_PLAN_IDS, and refuses a missing or unknown tier', () => {
    expect(usagePlanIdsOf('{"trial":"a","standard":"b","premium":"c"}')).toEqual({ trial: 'a', standard: 'b', premium: 'c' });
    expect(() => usagePlanIdsOf('{"trial":"a","standard":"b"}')).toThrow(/premium/);
    expect(() => usagePlanIdsOf('{"trial":"a","standard":"b","premium":"c","gold":"d"}')).toThrow();
    expect(() => usagePlanIdsOf('[]')).toThrow();
  });
});

describe('syncUsageKey', () => {
  const recorder = () => {
    const done: string[] = [];
    const keys: UsageKeys = {
      assign: async (tenantId: string, tier: TenantTier) => {
        done.push(`assign ${tenantId} ${tier}`);
      },
      revoke: async (tenantId: string) => {
        done.push(`revoke ${tenantId}`);
      },
    };
    return { keys, done };
  };

  it.each([
    ['active', 'premium', ['assign initech premium']],
    ['suspended', 'trial', ['assign initech trial']],
    ['deleting', 'standard', ['revoke initech']],
    ['deleted', 'standard', ['revoke initech']],
  ] as const)('brings the key of a %s tenant on the %s tier in line with its record', async (status, tier, expected) => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'x', SK: 'y', id: 'initech', status, tier, version: 3 } });
    const { keys, done } = recorder();
    await syncUsageKey('initech', keys);
    expect(done).toEqual(expected);
  });

  it('does nothing for a tenant that is not in the register', async () => {
    ddb.on(GetCommand).resolves({});
    const { keys, done } = recorder();
    expect(await syncUsageKey('ghost', keys)).toBe('no-tenant');
    expect(done).toEqual([]);
  });
});
