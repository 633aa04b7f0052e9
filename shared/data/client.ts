/**
 * The one DynamoDB document client. Every call asks for its consumed
 * capacity, split by table and index (free of charge), so cost per
 * operation is always measurable. Inside a tenant scope every command is
 * checked against the tenant's keys before it is sent (`./tenant-guard.ts`)
 * and, where `TENANT_ROLE_ARN` is set (request-path functions in AWS),
 * signed with that tenant's confined credentials.
 * @module
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';
import { recordCall } from './capacity-meter.js';
import { addPartitionRegistry } from './partition-registry.js';
import { translateStorageError } from './storage-errors.js';
import { TenantCredentialCache } from './tenant-credentials.js';
import { addTenantGuard, operationOf } from './tenant-guard.js';
import { currentTenant } from './tenant-scope.js';

const base = traced(new DynamoDBClient(awsClientConfig('DYNAMODB_ENDPOINT')));
configure(base);

/** The middleware every client of the table gets: the tenant wall check, then the capacity meter. */
function configure(client: DynamoDBClient): void {
  addTenantGuard(client);
  addPartitionRegistry(client, operationOf);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'INDEXES';
      const operation = context.commandName?.replace(/Command$/, '') ?? 'Unknown';
      try {
        const result = await next(args);
        recordCall(operation, (result.output as { ConsumedCapacity?: Parameters<typeof recordCall>[1] }).ConsumedCapacity);
        return result;
      } catch (error) {
        // A failed conditional write still costs a call (and capacity DynamoDB does not report).
        recordCall(operation, undefined);
        // Every repository gets an unavailable or throttling store as a 503 from here (after the SDK's retries), so none needs its own try/catch.
        throw translateStorageError(error);
      }
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );
}

/** Marshals plain objects; `undefined` members are dropped rather than rejected. */
const TRANSLATE = { marshallOptions: { removeUndefinedValues: true } };

/** The function's own role: background work, and everything when no tenant role is configured. */
const ownRoleClient = DynamoDBDocumentClient.from(base, TRANSLATE);

let tenantCredentials: TenantCredentialCache | undefined;
const tenantClients = new Map<string, DynamoDBDocumentClient>();

/**
 * A client signing with `tenantId`'s confined credentials. It shares the
 * base client's connection pool; only the credentials differ.
 */
function tenantClient(roleArn: string, tenantId: string): DynamoDBDocumentClient {
  let client = tenantClients.get(tenantId);
  if (!client) {
    tenantCredentials ??= new TenantCredentialCache(roleArn);
    const cache = tenantCredentials;
    const low = new DynamoDBClient({
      ...awsClientConfig('DYNAMODB_ENDPOINT'),
      requestHandler: base.config.requestHandler,
      credentials: () => cache.credentialsFor(tenantId),
    });
    configure(low);
    client = DynamoDBDocumentClient.from(low, TRANSLATE);
    tenantClients.set(tenantId, client);
  }
  return client;
}

/**
 * The document client for the work in progress: inside a tenant scope with
 * `TENANT_ROLE_ARN` set, one signing as that tenant (AssumeRole with the
 * session tag `tenantId`); otherwise the function's own role. Locally there
 * is no tenant role, so no STS call: the key check is the wall there.
 */
export function scopedDocumentClient(): DynamoDBDocumentClient {
  const tenantId = currentTenant();
  const roleArn = process.env.TENANT_ROLE_ARN;
  return tenantId !== undefined && roleArn ? tenantClient(roleArn, tenantId) : ownRoleClient;
}

/**
 * What repositories call: `db.send(command)` goes to
 * {@link scopedDocumentClient}, chosen per call, so no repository knows
 * which credentials sign it.
 */
export const db: Pick<DynamoDBDocumentClient, 'send'> = {
  send: ((...args: Parameters<DynamoDBDocumentClient['send']>) => scopedDocumentClient().send(...args)) as DynamoDBDocumentClient['send'],
};

/** The table name, from the environment the stack (or the local runtime) sets. */
export function tableName(): string {
  return requiredEnv('TABLE_NAME');
}
