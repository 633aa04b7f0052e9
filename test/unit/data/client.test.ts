/**
 * The data client against a DynamoDB that misbehaves for real (a stand-in
 * HTTP server on loopback, no mock of the SDK): refused connections, dropped
 * sockets, 5xx answers, throttling and silence all reach the caller, after
 * the SDK's own retries, as a ServiceUnavailableError, in a background
 * function too (which rethrows it, so Lambda and EventBridge retry). A
 * failed condition stays what it is.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '#shared/domain/errors.js';
import { SDK_TIMEOUTS } from '#shared/env.js';

/** How the stand-in answers the next requests. */
let behaviour: (request: IncomingMessage, response: ServerResponse) => void = () => undefined;
let requests = 0;
const server: Server = createServer((request, response) => {
  requests += 1;
  request.resume();
  request.on('end', () => behaviour(request, response));
});

let db: typeof import('#shared/data/client.js').db;
let backgroundHandler: typeof import('#shared/observability/background-handler.js').backgroundHandler;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('DYNAMODB_ENDPOINT', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  vi.stubEnv('TABLE_NAME', 'itsm-test');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  ({ db } = await import('#shared/data/client.js'));
  ({ backgroundHandler } = await import('#shared/observability/background-handler.js'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  vi.unstubAllEnvs();
});

const get = () => db.send(new GetCommand({ TableName: 'itsm-test', Key: { PK: 'TENANT#acme#INCIDENT#1', SK: 'INCIDENT' } }));

function awsError(status: number, type: string) {
  return (_: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'from the stand-in' }));
  };
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  requests = 0;
  return call().then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('the data client, when DynamoDB cannot serve', () => {
  it.each([
    ['answers 500', awsError(500, 'InternalServerError')],
    ['answers 503', awsError(503, 'ServiceUnavailable')],
    ['throttles', awsError(400, 'ThrottlingException')],
    ['is over its provisioned throughput', awsError(400, 'ProvisionedThroughputExceededException')],
    ['drops the connection mid-request', (request: IncomingMessage) => request.socket.destroy()],
  ])('%s: a ServiceUnavailableError after the SDK retried', async (_, answer) => {
    behaviour = answer;

    const error = await failureOf(get);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    expect(requests).toBe(SDK_TIMEOUTS.maxAttempts);
  });

  it(
    'never answers: each attempt ends at the request timeout, then a ServiceUnavailableError',
    async () => {
      behaviour = () => undefined;
      const started = Date.now();

      const error = await failureOf(get);

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(requests).toBe(SDK_TIMEOUTS.maxAttempts);
      expect(Date.now() - started).toBeLessThan(SDK_TIMEOUTS.maxAttempts * SDK_TIMEOUTS.requestTimeoutMs + 5_000);
    },
    SDK_TIMEOUTS.maxAttempts * SDK_TIMEOUTS.requestTimeoutMs + 10_000,
  );

  it('a failed condition is not an outage: it passes unchanged', async () => {
    behaviour = awsError(400, 'ConditionalCheckFailedException');

    const error = await failureOf(get);

    expect(error).not.toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).name).toBe('ConditionalCheckFailedException');
    expect(requests).toBe(1);
  });

  it('a background function fails its invocation with the ServiceUnavailableError, so its event source retries', async () => {
    behaviour = awsError(503, 'ServiceUnavailable');
    const handler = backgroundHandler('test/read-something', async () => get());

    await expect(handler({ detail: { tenantId: 'acme' } })).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('the store refusing connections (stopped): a ServiceUnavailableError', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));

    const error = await failureOf(get);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(((error as ServiceUnavailableError).cause as { code?: string }).code).toBe('ECONNREFUSED');
    // Reopened on the same port for afterAll.
    await new Promise<void>((resolve) => server.listen(Number(new URL(process.env.DYNAMODB_ENDPOINT as string).port), '127.0.0.1', resolve));
  });
});
