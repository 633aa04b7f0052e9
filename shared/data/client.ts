/**
 * The one DynamoDB document client. Every call asks for its consumed
 * capacity, split by table and index (free of charge), so cost per
 * operation is always measurable.
 * @module
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';
import { recordCall } from './capacity-meter.js';
import { translateThrottling } from './throttling.js';

const base = traced(new DynamoDBClient(awsClientConfig('DYNAMODB_ENDPOINT')));

base.middlewareStack.add(
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
      // Every repository gets throttling as a 429 from here, so none needs its own try/catch.
      throw translateThrottling(error);
    }
  },
  { step: 'initialize', name: 'consumedCapacityMeter' },
);

/** Marshals plain objects; `undefined` members are dropped rather than rejected. */
export const db = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });

/** The table name, from the environment the stack (or the local runtime) sets. */
export function tableName(): string {
  return requiredEnv('TABLE_NAME');
}
