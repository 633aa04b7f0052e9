/**
 * The import writer with DynamoDB mocked: lines are packed into
 * transactions, a transaction that fails on a condition is retried line by
 * line so only the line at fault is a conflict, throttling that outlasts
 * the retries is a 503, and the import itself is recorded once.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseImport } from '#shared/domain/cmdb/ci-import.js';
import { ServiceUnavailableError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';

vi.stubEnv('TABLE_NAME', 'itsm-test');
vi.stubEnv('AWS_REGION', 'us-east-1');

let applyImport: typeof import('#shared/data/cmdb/ci-import-writer.js').applyImport;
beforeAll(async () => {
  ({ applyImport } = await import('#shared/data/cmdb/ci-import-writer.js'));
});

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());
/** No tenant plan (the standard tier) and no CIs counted yet: the quota check passes. */
const noPlanNoCount = () => ddb.on(GetCommand).resolves({});

const actor: Actor = { tenantId: 'acme', userId: 'importer', roles: ['manager'] };
const rules = { serviceCodePattern: '^[A-Z][A-Z0-9-]{1,31}$', customAttributes: [] };
const options = { dryRun: false, now: '2026-11-22T10:00:00.000Z', rules };
const lines = ['a', 'contested', 'c'].map((name) => JSON.stringify({ kind: 'ci', externalId: `ext:${name}`, class: 'server', name }));

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const names = (items: Items) => items.flatMap((item) => (item.Put?.Item?.entity === 'Ci' ? [item.Put.Item.name as string] : []));
const cancelled = (code: string) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });

describe('applyImport', () => {
  it('writes lines whole in one transaction, and only the line at fault is a conflict', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'itsm-test': [] } });
    noPlanNoCount();
    const transactions: Items[] = [];
    ddb.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
      const items = input.TransactItems ?? [];
      transactions.push(items);
      if (names(items).includes('contested')) throw cancelled('ConditionalCheckFailed');
      return {};
    });

    const result = await applyImport(actor, parseImport(lines, rules), options);

    expect(result.lines.map((line) => [line.line, line.status])).toEqual([
      [1, 'created'],
      [2, 'conflict'],
      [3, 'created'],
    ]);
    expect(result.counts).toMatchObject({ lines: 3, created: 2, conflict: 1 });
    // The batch (3 CIs × record + audit entry), then each line alone, then the import's own record.
    expect(transactions.map((items) => items.length)).toEqual([6, 2, 2, 2, 3]);
    expect(transactions.slice(1, 4).map(names)).toEqual([['a'], ['contested'], ['c']]);
    const audits = transactions[0]?.filter((item) => item.Put?.Item?.entity === 'AuditEntry').map((item) => item.Put?.Item?.facts);
    expect(audits).toEqual([
      { importId: result.importId, line: 1 },
      { importId: result.importId, line: 2 },
      { importId: result.importId, line: 3 },
    ]);
    expect(transactions[4]?.[0]?.Put?.Item).toMatchObject({ entity: 'CiImport', importId: result.importId, created: 2, conflict: 1 });
    // The CIs created, not the lines tried, are added to the tenant's CI count.
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.ExpressionAttributeValues?.[':created'])).toEqual([2]);
  });

  it('refuses a file whose new CIs would pass the CI quota, before writing anything', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'itsm-test': [] } });
    ddb
      .on(GetCommand)
      .callsFake(async (input: { Key: { SK: string } }) =>
        input.Key.SK === 'TENANT_PLAN' ? { Item: { tier: 'standard', quotaOverrides: { cis: 4 } } } : { Item: { count: 2 } },
      );

    await expect(applyImport({ ...actor, tenantId: 'acme-quota' }, parseImport(lines, rules), options)).rejects.toMatchObject({
      extensions: { quota: 'cis', limit: 4 },
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('writes nothing on a dry run', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'itsm-test': [] } });
    noPlanNoCount();

    const result = await applyImport(actor, parseImport(lines, rules), { ...options, dryRun: true });

    expect(result.counts).toMatchObject({ created: 3 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 503 when throttling outlasts the retries', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'itsm-test': [] } });
    noPlanNoCount();
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError'));

    await expect(applyImport(actor, parseImport(lines, rules), options)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
