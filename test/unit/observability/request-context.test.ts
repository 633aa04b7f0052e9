import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NotFoundError } from '#shared/domain/errors.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { defineRoute } from '#shared/http/route.js';
import { logger } from '#shared/observability/logger.js';
import { countBusinessEvent } from '#shared/observability/metrics.js';
import { traced, tracer } from '#shared/observability/tracer.js';

// Metrics are off outside Lambda; these tests read the EMF lines, so on (before the module is loaded).
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const getThing = defineRoute({
  operationId: 'getThing',
  method: 'GET',
  path: '/things/{id}',
  summary: 'Get a thing',
  tag: 'Test',
  roles: ['agent'],
  params: z.strictObject({ id: z.string() }),
  response: { status: 200, description: 'The thing' },
  problems: [404],
  access: 'none',
  handler: 'test/get-thing',
});

const get = httpHandler(getThing, async ({ params }) => {
  logger.info('Reading a thing', { id: params.id });
  if (params.id === 'missing') throw new NotFoundError('No such thing.');
  if (params.id === 'broken') throw new Error('disk on fire');
  return { statusCode: 200, body: params };
});

const context = {
  functionName: 'itsm-test-incidents-read',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:itsm-test-incidents-read',
  memoryLimitInMB: '256',
  awsRequestId: 'lambda-req-1',
} as unknown as Context;

function event(options: { id?: string; tenantId?: string; userId?: string; requestId?: string; headers?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const { id = 'abc', tenantId = 'acme', userId = 'agent-1', requestId = 'api-req-1', headers = {} } = options;
  return {
    httpMethod: 'GET',
    path: `/things/${id}`,
    resource: '/things/{id}',
    pathParameters: { id },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    headers,
    multiValueHeaders: {},
    body: null,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: { requestId, stage: 'test', authorizer: { tenantId, userId, roles: 'agent' } } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** Every JSON line written (log lines and EMF documents) while the test runs. */
let lines: Record<string, unknown>[] = [];
let stderr: string[] = [];

beforeEach(() => {
  lines = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  // Powertools writes warnings and errors to stderr.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

const logLines = (message: string) => lines.filter((line) => line.message === message);
interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}
const emf = () => lines.filter((line): line is Emf => '_aws' in line);
const routeMetrics = () => emf().filter((doc) => doc._aws.CloudWatchMetrics[0]?.Metrics.some((metric) => metric.Name === 'Latency'));

describe('log keys', () => {
  it('puts tenant, user, route, request id and correlation id on every line of a request', async () => {
    await get(event(), context);

    const [line] = logLines('Reading a thing');
    expect(line).toMatchObject({
      tenantId: 'acme',
      userId: 'agent-1',
      route: 'getThing',
      requestId: 'api-req-1',
      correlationId: 'api-req-1',
      function_request_id: 'lambda-req-1',
      service: 'itsm',
      id: 'abc',
    });
  });

  it('clears the keys between two invocations of different tenants', async () => {
    await get(event({ tenantId: 'acme', userId: 'agent-1', requestId: 'r-1', headers: { 'X-Correlation-Id': 'acme-flow' } }), context);
    await get(event({ tenantId: 'globex', userId: 'agent-9', requestId: 'r-2' }), context);
    logger.info('Between invocations');

    const [first, second] = logLines('Reading a thing');
    expect(first).toMatchObject({ tenantId: 'acme', userId: 'agent-1', requestId: 'r-1', correlationId: 'acme-flow' });
    expect(second).toMatchObject({ tenantId: 'globex', userId: 'agent-9', requestId: 'r-2', correlationId: 'r-2' });
    const [after] = logLines('Between invocations');
    expect(after).toBeDefined();
    for (const key of ['tenantId', 'userId', 'route', 'requestId', 'correlationId']) expect(after).not.toHaveProperty(key);
  });

  it('logs the keys with an unhandled error too', async () => {
    await get(event({ id: 'broken' }), context);

    const [line] = logLines('Unhandled error');
    expect(line).toMatchObject({ level: 'ERROR', tenantId: 'acme', route: 'getThing', requestId: 'api-req-1' });
  });
});

describe('correlation id', () => {
  it('echoes the caller’s x-correlation-id and logs it', async () => {
    const result = await get(event({ headers: { 'x-correlation-id': 'client-flow-42' } }), context);

    expect(result.headers?.['x-correlation-id']).toBe('client-flow-42');
    expect(logLines('Reading a thing')[0]).toMatchObject({ correlationId: 'client-flow-42', requestId: 'api-req-1' });
  });

  it('falls back to the API Gateway request id, on error responses as well', async () => {
    const result = await get(event({ id: 'missing', requestId: 'api-req-7' }), context);

    expect(result.statusCode).toBe(404);
    expect(result.headers?.['x-correlation-id']).toBe('api-req-7');
  });

  it('ignores a correlation id that is not a plain token (no log injection)', async () => {
    const result = await get(event({ headers: { 'x-correlation-id': 'a"b\nlevel=ERROR' } }), context);

    expect(result.headers?.['x-correlation-id']).toBe('api-req-1');
  });
});

describe('route metrics', () => {
  it('emits latency and error counts with the service and route dimensions only, the tenant as metadata', async () => {
    await get(event(), context);

    const [doc] = routeMetrics();
    expect(doc).toBeDefined();
    const directive = doc?._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('Itsm');
    expect(directive?.Dimensions).toEqual([['service', 'route']]);
    expect(directive?.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'Latency', Unit: 'Milliseconds' },
        { Name: 'ClientErrors', Unit: 'Count' },
        { Name: 'ServerErrors', Unit: 'Count' },
      ]),
    );
    expect(doc).toMatchObject({ service: 'itsm', route: 'getThing', tenantId: 'acme', ClientErrors: 0, ServerErrors: 0 });
    expect(doc?.Latency).toEqual(expect.any(Number));
    expect(JSON.stringify(directive?.Dimensions)).not.toContain('tenant');
  });

  it('counts a 4xx as a client error and an unhandled error as a server error', async () => {
    await get(event({ id: 'missing' }), context);
    await get(event({ id: 'broken' }), context);

    const [notFound, broken] = routeMetrics();
    expect(notFound).toMatchObject({ ClientErrors: 1, ServerErrors: 0 });
    expect(broken).toMatchObject({ ClientErrors: 0, ServerErrors: 1 });
  });

  it('leaves no route dimension behind for the next invocation', async () => {
    await get(event(), context);
    countBusinessEvent('IncidentCreated', 'acme', '01EVENT');

    const business = emf().find((doc) => 'IncidentCreated' in doc);
    expect(business?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
  });
});

describe('business counts', () => {
  it('counts an event type under the service dimension, the tenant as metadata', () => {
    countBusinessEvent('ChangeCreated', 'globex', '01CHANGE');

    const [doc] = emf();
    expect(doc?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Itsm', Dimensions: [['service']], Metrics: [{ Name: 'ChangeCreated', Unit: 'Count' }] });
    expect(doc).toMatchObject({ service: 'itsm', ChangeCreated: 1, tenantId: 'globex', eventId: '01CHANGE' });
    expect(doc).not.toHaveProperty('correlationId');
  });

  it('ties a count made during a request to that request’s correlation id', async () => {
    const create = httpHandler(getThing, async () => {
      countBusinessEvent('CiCreated', 'acme', '01CI');
      return { statusCode: 201, body: {} };
    });
    await create(event({ headers: { 'x-correlation-id': 'import-run-3' } }), context);

    expect(emf().find((doc) => 'CiCreated' in doc)).toMatchObject({ tenantId: 'acme', eventId: '01CI', correlationId: 'import-run-3' });
  });
});

describe('tracer outside Lambda', () => {
  it('is off, leaves SDK clients untouched and prints nothing', async () => {
    const client = new SFNClient({ region: 'us-east-1' });
    const before = client.middlewareStack.identify().length;

    expect(tracer.isTracingEnabled()).toBe(false);
    expect(traced(client)).toBe(client);
    expect(client.middlewareStack.identify()).toHaveLength(before);
    await get(event(), context);
    expect(stderr).toEqual([]);
  });
});
