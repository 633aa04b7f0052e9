/**
 * Every way the AWS SDK says "not now" (throttling, a network error, a
 * timeout, a 5xx) answers 503 problem+json with `Retry-After`, never a 500;
 * what says "no" (a failed condition, a validation error) stays what it was.
 * The errors are the ones the SDK and its Node HTTP handler really throw,
 * raised by the mocked document client under a real API handler.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RETRY_AFTER_SECONDS } from '#shared/aws-errors.js';
import { PROBLEM_CONTENT_TYPE } from '#shared/http/problem.js';
import { logger } from '#shared/observability/logger.js';

vi.stubEnv('TABLE_NAME', 'itsm-test');
vi.stubEnv('AWS_REGION', 'us-east-1');

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let getIncident: Handler;

beforeAll(async () => {
  ({ handler: getIncident } = (await import('../../../functions/incidents/get-incident.js')) as unknown as { handler: Handler });
});

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode, attempts: 3 }, $fault: 'server' as const });
const sdk = { message: 'from DynamoDB', ...metadata(400), $fault: 'client' as const };

/** An error of Node's HTTP stack, as the SDK's request handler passes it on. */
function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

const THROTTLED: [string, Error][] = [
  ['ThrottlingException', new ThrottlingException(sdk)],
  ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException(sdk)],
  ['RequestLimitExceeded', new RequestLimitExceeded(sdk)],
  ['an HTTP 429', new DynamoDBServiceException({ name: 'TooManyRequests', message: 'slow down', ...metadata(429), $fault: 'client' })],
];

const UNAVAILABLE: [string, Error][] = [
  ['InternalServerError (500)', new InternalServerError({ message: 'internal', ...metadata(500) })],
  ['an HTTP 503', new DynamoDBServiceException({ name: 'ServiceUnavailable', message: 'unavailable', ...metadata(503) })],
  ['an HTTP 504', new DynamoDBServiceException({ name: 'GatewayTimeout', message: 'gateway', ...metadata(504) })],
  ['an HTTP 501 (server fault, not transient)', new DynamoDBServiceException({ name: 'NotImplemented', message: 'nope', ...metadata(501) })],
  // @smithy/node-http-handler: connectionTimeout, requestTimeout (throwOnRequestTimeout) and the socket idle timeout.
  ['a connection timeout', Object.assign(new Error('Socket timed out without establishing a connection within 1000 ms'), { name: 'TimeoutError' })],
  ['a request timeout', Object.assign(new Error('a request has exceeded the configured 2000 ms requestTimeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' })],
  ['a socket timeout', Object.assign(new Error('the request socket timed out after 2000 ms of inactivity'), { name: 'TimeoutError' })],
  ['ECONNREFUSED (store down)', nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000')],
  ['ECONNRESET (store died mid-request)', nodeError('ECONNRESET', 'socket hang up')],
  ['EPIPE', nodeError('EPIPE', 'write EPIPE')],
  ['ETIMEDOUT', nodeError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443')],
  ['ENOTFOUND (DNS)', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND dynamodb.us-east-1.amazonaws.com')],
  ['EAI_AGAIN (DNS)', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN dynamodb.us-east-1.amazonaws.com')],
  ['EHOSTUNREACH', nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH')],
  ['ENETUNREACH', nodeError('ENETUNREACH', 'connect ENETUNREACH')],
  ['a network error wrapped as the cause', Object.assign(new Error('fetch failed'), { cause: nodeError('ECONNRESET', 'socket hang up') })],
];

const event = {
  httpMethod: 'GET',
  path: '/incidents/01JH0000000000000000000000',
  resource: '/incidents/{id}',
  pathParameters: { id: '01JH0000000000000000000000' },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  headers: {},
  multiValueHeaders: {},
  body: null,
  isBase64Encoded: false,
  stageVariables: null,
  requestContext: { requestId: 'r-1', stage: 'test', authorizer: { tenantId: 'acme', userId: 'agent-1', roles: 'agent' } },
} as unknown as APIGatewayProxyEvent;
const context = { functionName: 'incidents-read', awsRequestId: 'l-1' } as unknown as Context;

async function answerTo(error: Error): Promise<APIGatewayProxyResult> {
  ddb.on(GetCommand).rejects(error);
  return getIncident(event, context);
}

describe('an SDK error that means "not now"', () => {
  it.each(THROTTLED)('%s (throttling) answers 503 with Retry-After', async (_, error) => {
    const result = await answerTo(error);

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS.throttled));
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:itsm:problem:service-unavailable', status: 503, instance: event.path });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each(UNAVAILABLE)('%s answers 503 with Retry-After, logged as a warning with its cause', async (_, error) => {
    const result = await answerTo(error);

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS.unavailable));
    const problem = JSON.parse(result.body) as { type: string; detail: string };
    expect(problem.type).toBe('urn:itsm:problem:service-unavailable');
    // Nothing of the internals leaks: no host, port or SDK message.
    expect(problem.detail).not.toMatch(/127\.0\.0\.1|amazonaws|socket|ECONN/);
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith('Service unavailable', expect.objectContaining({ error }));
  });
});

describe('an SDK error that means "no" or "bug"', () => {
  it.each([
    ['ValidationException', new DynamoDBServiceException({ name: 'ValidationException', ...sdk })],
    ['ResourceNotFoundException (no table: a deployment fault)', new DynamoDBServiceException({ name: 'ResourceNotFoundException', ...sdk })],
    ['ConditionalCheckFailedException', new ConditionalCheckFailedException(sdk)],
    ['a TypeError', new TypeError('x is undefined')],
  ])('%s stays a 500 without Retry-After', async (_, error) => {
    const result = await answerTo(error);

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['retry-after']).toBeUndefined();
    expect(logger.error).toHaveBeenCalled();
  });
});
