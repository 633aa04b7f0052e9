import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  IllegalTransitionError,
  NotFoundError,
  PreconditionFailedError,
  TooManyRequestsError,
  UnprocessableError,
  ValidationError,
} from '#shared/domain/errors.js';
import { type ApiRequest, type ApiResult, checkIfMatch, httpHandler, toProxyResult } from '#shared/http/http-handler.js';
import { PROBLEM_CONTENT_TYPE, problemResponse } from '#shared/http/problem.js';
import { MAX_BODY_BYTES, requestHash } from '#shared/http/request-validation.js';
import { defineRoute } from '#shared/http/route.js';
import { logger } from '#shared/observability/logger.js';

// A small route of our own: path param, strict body, conditional and idempotent.
const ThingParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{3,12}$/) });
const ThingBody = z.strictObject({
  title: z.string().min(1).max(20),
  impact: z.number().int().min(1).max(3),
  tags: z.array(z.string()).optional(),
  nested: z.strictObject({ a: z.number(), b: z.number() }).optional(),
  // A record keeps the client's key order through parsing, unlike an object schema.
  labels: z.record(z.string(), z.string()).optional(),
});

const updateThing = defineRoute({
  operationId: 'updateThing',
  method: 'POST',
  path: '/things/{id}',
  summary: 'Update a thing',
  tag: 'Test',
  roles: ['agent'],
  params: ThingParams,
  body: ThingBody,
  response: { status: 200, description: 'The thing' },
  problems: [400, 401, 403, 404, 412, 413, 415],
  conditional: true,
  idempotent: true,
  access: 'none',
  handler: 'test/update-thing',
});

const listThings = defineRoute({
  operationId: 'listThings',
  method: 'GET',
  path: '/things',
  summary: 'List things',
  tag: 'Test',
  roles: ['requester', 'agent'],
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() }),
  response: { status: 200, description: 'Things' },
  problems: [400],
  access: 'none',
  handler: 'test/list-things',
});

const getThing = defineRoute({
  operationId: 'getThing',
  method: 'GET',
  path: '/things/{id}',
  summary: 'Get a thing',
  tag: 'Test',
  roles: ['agent'],
  params: ThingParams,
  response: { status: 200, description: 'The thing' },
  problems: [400, 404],
  access: 'none',
  handler: 'test/get-thing',
});

const cancelThing = defineRoute({ ...getThing, operationId: 'cancelThing', method: 'POST', path: '/things/{id}/cancel', roles: ['manager'] });
const staffThings = defineRoute({ ...listThings, operationId: 'staffThings', path: '/staff-things', roles: ['agent'] });
const publicThing = defineRoute({ ...getThing, operationId: 'publicThing', params: undefined, path: '/public', roles: 'public' });

/** What the handler under test receives, and what it answers. */
let received: ApiRequest<typeof updateThing>[] = [];
let answer: (request: ApiRequest<typeof updateThing>) => Promise<ApiResult> = async () => ({ statusCode: 200, body: { ok: true }, version: 5 });

const update = httpHandler(updateThing, async (request) => {
  received.push(request);
  return answer(request);
});
const list = httpHandler(listThings, async ({ query }) => ({ statusCode: 200, body: { query } }));
const get = httpHandler(getThing, async ({ params }) => ({ statusCode: 200, body: params }));
const cancel = httpHandler(cancelThing, async () => ({ statusCode: 200, body: { cancelled: true } }));
const staffList = httpHandler(staffThings, async () => ({ statusCode: 200, body: { items: [] } }));
const open = httpHandler(publicThing, async ({ actor }) => ({ statusCode: 200, body: { actor } }));

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'unit-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unit-test',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/unit-test',
  logStreamName: 'stream',
} as unknown as Context;

const AGENT = { tenantId: 'acme', userId: 'agent-1', roles: 'agent' };
const VALID_BODY = { title: 'VPN down', impact: 2 };

function event(overrides: Partial<APIGatewayProxyEvent> & { authorizer?: Record<string, unknown> | null } = {}): APIGatewayProxyEvent {
  const { authorizer = AGENT, ...rest } = overrides;
  return {
    httpMethod: 'POST',
    path: '/things/abc',
    resource: '/things/{id}',
    pathParameters: { id: 'abc' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    body: JSON.stringify(VALID_BODY),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: { requestId: 'api-req-1', stage: 'test', authorizer } as unknown as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** Asserts the result is a problem document with `status` and returns it. */
function problemOf(result: APIGatewayProxyResult, status: number): Problem {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  const problem = JSON.parse(result.body) as Problem;
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:itsm:problem:[a-z-]+$/);
  return problem;
}

beforeEach(() => {
  received = [];
  answer = async () => ({ statusCode: 200, body: { ok: true }, version: 5 });
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('httpHandler: the caller', () => {
  it.each([
    { name: 'no authorizer context', authorizer: null },
    { name: 'an empty authorizer context', authorizer: {} },
    { name: 'no user id', authorizer: { tenantId: 'acme', roles: 'agent' } },
    { name: 'no tenant id', authorizer: { userId: 'agent-1', roles: 'agent' } },
  ])('$name → 401 problem', async ({ authorizer }) => {
    const result = await update(event({ authorizer }), context);

    const problem = problemOf(result, 401);
    expect(problem.type).toBe('urn:itsm:problem:unauthorized');
    expect(received).toHaveLength(0);
  });

  it.each([
    { name: 'a requester on an agent route', handler: update, roles: 'requester' },
    { name: 'an agent on a manager route', handler: cancel, roles: 'agent' },
    { name: 'unknown roles only', handler: update, roles: 'admin,root' },
    { name: 'no roles', handler: update, roles: '' },
  ])('$name, when the route names a record → 404 problem (the record does not exist for that role)', async ({ handler, roles }) => {
    const result = await handler(event({ authorizer: { ...AGENT, roles }, body: null, path: '/things/abc/cancel' }), context);

    const problem = problemOf(result, 404);
    expect(problem.type).toBe('urn:itsm:problem:not-found');
    expect(received).toHaveLength(0);
  });

  it.each([
    { name: 'a requester', roles: 'requester' },
    { name: 'unknown roles only', roles: 'admin,root' },
    { name: 'no roles', roles: '' },
  ])('$name on an agent route that names no record → 403 problem', async ({ roles }) => {
    const result = await staffList(event({ authorizer: { ...AGENT, roles }, body: null, httpMethod: 'GET', path: '/staff-things' }), context);

    const problem = problemOf(result, 403);
    expect(problem.type).toBe('urn:itsm:problem:forbidden');
  });

  it.each([
    { name: 'a manager on an agent route', handler: update, roles: 'manager' },
    { name: 'a tenant admin on a manager route', handler: cancel, roles: 'tenant-admin' },
    { name: 'a requester who is also an agent', handler: update, roles: 'requester,agent' },
  ])('$name is let through (role hierarchy)', async ({ handler, roles }) => {
    const body = handler === cancel ? null : JSON.stringify(VALID_BODY);

    const result = await handler(event({ authorizer: { ...AGENT, roles }, body }), context);

    expect(result.statusCode).toBe(200);
  });

  it('passes the verified actor to the handler', async () => {
    await update(event({ authorizer: { tenantId: 'acme', userId: 'u-7', roles: 'requester,agent,bogus' } }), context);

    expect(received[0]?.actor).toEqual({ tenantId: 'acme', userId: 'u-7', roles: ['requester', 'agent'] });
  });

  it('a public route needs no authorizer and gets a null actor', async () => {
    const result = await open(event({ authorizer: null, body: null, pathParameters: null, path: '/public' }), context);

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ actor: null });
  });
});

describe('httpHandler: body validation', () => {
  it('malformed JSON → 400 naming the body', async () => {
    const result = await update(event({ body: '{"title": "VPN down",' }), context);

    const problem = problemOf(result, 400);
    expect(problem.type).toBe('urn:itsm:problem:validation-error');
    expect(problem.errors?.[0]?.field).toBe('body');
    expect(received).toHaveLength(0);
  });

  it('an unknown field → 400 listing body.<name> as Unknown field', async () => {
    const result = await update(event({ body: JSON.stringify({ ...VALID_BODY, colour: 'red', size: 3 }) }), context);

    const problem = problemOf(result, 400);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.colour', message: 'Unknown field' },
        { field: 'body.size', message: 'Unknown field' },
      ]),
    );
  });

  it('an unknown field in a nested object names its full path', async () => {
    const result = await update(event({ body: JSON.stringify({ ...VALID_BODY, nested: { a: 1, b: 2, c: 3 } }) }), context);

    expect(problemOf(result, 400).errors).toEqual([{ field: 'body.nested.c', message: 'Unknown field' }]);
  });

  it.each([
    { name: 'a string where a number belongs', body: { title: 'x', impact: '2' }, field: 'body.impact' },
    { name: 'a fraction where an integer belongs', body: { title: 'x', impact: 1.5 }, field: 'body.impact' },
    { name: 'an oversize string', body: { title: 'x'.repeat(21), impact: 2 }, field: 'body.title' },
    { name: 'a missing required field', body: { title: 'x' }, field: 'body.impact' },
    { name: 'a wrong array element', body: { ...VALID_BODY, tags: ['ok', 7] }, field: 'body.tags.1' },
  ])('$name → 400 naming the field', async ({ body, field }) => {
    const result = await update(event({ body: JSON.stringify(body) }), context);

    const problem = problemOf(result, 400);
    expect(problem.errors?.map((error) => error.field)).toEqual([field]);
  });

  it('reports every failing field at once', async () => {
    const result = await update(event({ body: JSON.stringify({ title: '', impact: 9, extra: true }) }), context);

    const fields = problemOf(result, 400)
      .errors?.map((error) => error.field)
      .sort();
    expect(fields).toEqual(['body.extra', 'body.impact', 'body.title']);
  });

  it('an empty body is validated as {} (and fails for required fields)', async () => {
    const result = await update(event({ body: '' }), context);

    expect(
      problemOf(result, 400)
        .errors?.map((error) => error.field)
        .sort(),
    ).toEqual(['body.impact', 'body.title']);
  });

  it.each([
    { name: 'text/plain', headers: { 'Content-Type': 'text/plain' } },
    { name: 'form encoding', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { name: 'no content type', headers: {} },
    { name: 'a json look-alike', headers: { 'Content-Type': 'application/jsonp' } },
  ])('a body sent as $name → 415', async ({ headers }) => {
    const result = await update(event({ headers }), context);

    expect(problemOf(result, 415).type).toBe('urn:itsm:problem:unsupported-media-type');
    expect(received).toHaveLength(0);
  });

  it.each([
    { name: 'with a charset', type: 'application/json; charset=utf-8' },
    { name: 'in upper case', type: 'Application/JSON' },
    { name: 'a +json type', type: 'application/merge-patch+json' },
  ])('JSON content type $name is accepted', async ({ type }) => {
    const result = await update(event({ headers: { 'content-type': type } }), context);

    expect(result.statusCode).toBe(200);
  });

  it(`a body over ${MAX_BODY_BYTES} bytes → 413`, async () => {
    const body = JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES), impact: 2 });

    const result = await update(event({ body }), context);

    expect(problemOf(result, 413).type).toBe('urn:itsm:problem:content-too-large');
  });

  it('the limit counts bytes, not characters', async () => {
    // 22,000 three-byte characters: 66,000 bytes in 22,000 UTF-16 units.
    const body = JSON.stringify({ title: '€'.repeat(22_000), impact: 2 });
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);

    const result = await update(event({ body }), context);

    problemOf(result, 413);
  });

  it('64 KB exactly is not too large (it fails validation instead)', async () => {
    const padding = MAX_BODY_BYTES - JSON.stringify({ title: '', impact: 2 }).length;
    const body = JSON.stringify({ title: 'x'.repeat(padding), impact: 2 });
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);

    const result = await update(event({ body }), context);

    expect(problemOf(result, 400).errors?.map((error) => error.field)).toEqual(['body.title']);
  });

  it('decodes a base64-encoded body', async () => {
    const result = await update(event({ body: Buffer.from(JSON.stringify(VALID_BODY)).toString('base64'), isBase64Encoded: true }), context);

    expect(result.statusCode).toBe(200);
    expect(received[0]?.body).toEqual(VALID_BODY);
  });

  it('a route without a body schema refuses a body', async () => {
    const result = await get(event({ httpMethod: 'GET', body: '{"x":1}' }), context);

    problemOf(result, 400);
  });
});

describe('httpHandler: path and query', () => {
  it.each([
    { name: 'does not match the pattern', pathParameters: { id: 'ABC!' } },
    { name: 'is missing', pathParameters: null },
    { name: 'is too long', pathParameters: { id: 'a'.repeat(13) } },
  ])('a path parameter that $name → 404', async ({ pathParameters }) => {
    const result = await get(event({ httpMethod: 'GET', body: null, pathParameters }), context);

    expect(problemOf(result, 404).type).toBe('urn:itsm:problem:not-found');
  });

  it('hands the parsed path parameters to the handler', async () => {
    const result = await get(event({ httpMethod: 'GET', body: null, pathParameters: { id: 'abc123' } }), context);

    expect(JSON.parse(result.body)).toEqual({ id: 'abc123' });
  });

  it('an unknown query parameter on a route without a query schema → 400', async () => {
    const result = await get(event({ httpMethod: 'GET', body: null, queryStringParameters: { sort: 'asc' } }), context);

    expect(problemOf(result, 400).errors).toEqual([{ field: 'query.sort', message: 'Unknown parameter' }]);
  });

  it.each([
    { name: 'an unknown parameter', query: { limit: '10', sort: 'asc' }, field: 'query.sort' },
    { name: 'a non-numeric limit', query: { limit: 'ten' }, field: 'query.limit' },
    { name: 'a limit out of range', query: { limit: '1000' }, field: 'query.limit' },
  ])('$name on a route with a query schema → 400', async ({ query, field }) => {
    const result = await list(event({ httpMethod: 'GET', body: null, path: '/things', pathParameters: null, queryStringParameters: query }), context);

    expect(problemOf(result, 400).errors?.map((error) => error.field)).toEqual([field]);
  });

  it('coerces a valid query', async () => {
    const result = await list(event({ httpMethod: 'GET', body: null, path: '/things', pathParameters: null, queryStringParameters: { limit: '10' } }), context);

    expect(JSON.parse(result.body)).toEqual({ query: { limit: 10 } });
  });
});

describe('httpHandler: If-Match and Idempotency-Key', () => {
  it.each([
    { name: 'a strong ETag', value: '"3"', expected: 3 },
    { name: 'a weak ETag', value: 'W/"3"', expected: 3 },
    { name: 'surrounding spaces', value: '  "12" ', expected: 12 },
    { name: 'a wildcard', value: '*', expected: undefined },
  ])('If-Match with $name → ifMatch $expected', async ({ value, expected }) => {
    const result = await update(event({ headers: { 'Content-Type': 'application/json', 'If-Match': value } }), context);

    expect(result.statusCode).toBe(200);
    expect(received[0]?.ifMatch).toBe(expected);
  });

  it('no If-Match → ifMatch undefined', async () => {
    await update(event(), context);

    expect(received).toHaveLength(1);
    expect(received[0]?.ifMatch).toBeUndefined();
  });

  it.each([
    { name: 'an unquoted number', value: '3' },
    { name: 'a non-numeric tag', value: '"abc"' },
    { name: 'a negative number', value: '"-1"' },
    { name: 'a list of tags', value: '"3", "4"' },
    { name: 'garbage', value: 'garbage' },
    { name: 'an empty value', value: '' },
  ])('If-Match with $name → 412', async ({ value }) => {
    const result = await update(event({ headers: { 'Content-Type': 'application/json', 'If-Match': value } }), context);

    expect(problemOf(result, 412).type).toBe('urn:itsm:problem:precondition-failed');
    expect(received).toHaveLength(0);
  });

  it('If-Match is ignored by a route that is not conditional', async () => {
    const result = await get(event({ httpMethod: 'GET', body: null, headers: { 'If-Match': 'garbage' } }), context);

    expect(result.statusCode).toBe(200);
  });

  it.each([
    { name: 'a space', key: 'my key' },
    { name: 'a hash', key: 'a#b' },
    { name: 'a slash', key: 'a/b' },
    { name: '129 characters', key: 'k'.repeat(129) },
    { name: 'nothing', key: '' },
  ])('an Idempotency-Key with $name → 400', async ({ key }) => {
    const result = await update(event({ headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } }), context);

    expect(problemOf(result, 400).errors).toEqual([{ field: 'header.idempotency-key', message: expect.any(String) }]);
    expect(received).toHaveLength(0);
  });

  it('a valid Idempotency-Key is passed on with the request hash', async () => {
    await update(event({ headers: { 'content-type': 'application/json', 'IDEMPOTENCY-KEY': 'abc_123.x:y-z' } }), context);

    expect(received[0]?.idempotency).toEqual({ key: 'abc_123.x:y-z', requestHash: requestHash('POST', '/things/abc', VALID_BODY) });
  });

  it('without an Idempotency-Key there is no idempotency claim', async () => {
    await update(event(), context);

    expect(received[0]?.idempotency).toBeUndefined();
  });

  it('the request hash is the same for bodies with a different key order and differs for different bodies', async () => {
    // Prepare
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k1' };
    const bodies = [
      '{"title":"VPN down","impact":2,"nested":{"a":1,"b":2},"labels":{"site":"hq","floor":"3"}}',
      '{"labels":{"floor":"3","site":"hq"},"nested":{"b":2,"a":1},"impact":2,"title":"VPN down"}',
      '{"title":"VPN down","impact":3,"nested":{"a":1,"b":2},"labels":{"site":"hq","floor":"3"}}',
      '{"title":"VPN down","impact":2,"nested":{"a":2,"b":1},"labels":{"site":"hq","floor":"3"}}',
    ];

    // Act
    for (const body of bodies) await update(event({ headers, body }), context);
    const hashes = received.map((request) => request.idempotency?.requestHash);

    // Assess
    expect(hashes).toHaveLength(4);
    expect(hashes[0]).toEqual(expect.any(String));
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[2]).not.toBe(hashes[0]);
    expect(hashes[3]).not.toBe(hashes[0]);
  });

  it.each([
    { name: 'top-level keys', a: { a: 1, b: 2 }, b: { b: 2, a: 1 } },
    { name: 'nested keys', a: { x: { c: 1, d: [{ e: 1, f: 2 }] } }, b: { x: { d: [{ f: 2, e: 1 }], c: 1 } } },
  ])('requestHash ignores the order of $name', ({ a, b }) => {
    expect(requestHash('POST', '/p', a)).toBe(requestHash('POST', '/p', b));
  });

  it.each([
    { name: 'method', a: ['POST', '/things/a', { x: 1 }], b: ['PUT', '/things/a', { x: 1 }] },
    { name: 'path', a: ['POST', '/things/a', { x: 1 }], b: ['POST', '/things/b', { x: 1 }] },
    { name: 'array order', a: ['POST', '/p', { x: [1, 2] }], b: ['POST', '/p', { x: [2, 1] }] },
    { name: 'value type', a: ['POST', '/p', { x: 1 }], b: ['POST', '/p', { x: '1' }] },
    { name: 'null versus missing', a: ['POST', '/p', { x: null }], b: ['POST', '/p', {}] },
  ] as const)('requestHash tells requests apart by $name', ({ a, b }) => {
    expect(requestHash(a[0], a[1], a[2])).not.toBe(requestHash(b[0], b[1], b[2]));
  });
});

describe('httpHandler: errors from the handler', () => {
  /** A practice's own error class answers by its kind, with no HTTP knowledge of its own. */
  class QuotaExceededError extends DomainError {
    readonly kind = 'unprocessable' as const;
  }

  it.each([
    { name: 'NotFoundError', error: new NotFoundError('Incident x was not found.'), status: 404, type: 'not-found', title: 'Not found' },
    { name: 'ForbiddenError', error: new ForbiddenError('No.'), status: 403, type: 'forbidden', title: 'Not allowed for your role' },
    { name: 'ConflictError', error: new ConflictError('Busy.'), status: 409, type: 'conflict', title: 'Conflict with the current state' },
    {
      name: 'IllegalTransitionError',
      error: new IllegalTransitionError('close', 'new', ['assign', 'cancel']),
      status: 409,
      type: 'illegal-transition',
      title: 'Transition not allowed',
    },
    {
      name: 'PreconditionFailedError',
      error: new PreconditionFailedError('Stale.'),
      status: 412,
      type: 'precondition-failed',
      title: 'The record has changed',
    },
    {
      name: 'UnprocessableError',
      error: new UnprocessableError('Bad matrix.', { problems: ['p'] }),
      status: 422,
      type: 'unprocessable',
      title: 'The request cannot be processed',
    },
    {
      name: 'ValidationError',
      error: new ValidationError('Bad.', [{ field: 'body.x', message: 'm' }]),
      status: 400,
      type: 'validation-error',
      title: 'The request is not valid',
    },
    { name: 'TooManyRequestsError', error: new TooManyRequestsError('Slow down.', 7), status: 429, type: 'too-many-requests', title: 'Too many requests' },
    {
      name: 'a DomainError subclass of our own',
      error: new QuotaExceededError('Over quota.'),
      status: 422,
      type: 'unprocessable',
      title: 'The request cannot be processed',
    },
  ])('$name maps to $status urn:itsm:problem:$type', async ({ error, status, type, title }) => {
    // Prepare
    answer = async () => {
      throw error;
    };

    // Act
    const result = await update(event(), context);

    // Assess
    const problem = problemOf(result, status);
    expect(problem).toMatchObject({
      type: `urn:itsm:problem:${type}`,
      title,
      detail: error.message,
      instance: '/things/abc',
      ...error.extensions,
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('a 429 tells the client when to retry', async () => {
    answer = async () => {
      throw new TooManyRequestsError('Slow down.', 7);
    };

    const result = await update(event(), context);

    expect(result.headers?.['retry-after']).toBe('7');
  });

  it('an IllegalTransitionError lists the allowed actions', async () => {
    answer = async () => {
      throw new IllegalTransitionError('close', 'new', ['assign', 'cancel']);
    };

    const problem = problemOf(await update(event(), context), 409);

    expect(problem.allowedActions).toEqual(['assign', 'cancel']);
    expect(problem.currentStatus).toBe('new');
  });

  it.each([
    { name: 'a plain Error', error: new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2') },
    { name: 'a TypeError', error: new TypeError("Cannot read properties of undefined (reading 'hunter2')") },
    { name: 'a thrown string', error: 'hunter2' },
  ])('$name → 500 without leaking the internal message, and is logged', async ({ error }) => {
    // Prepare
    answer = async () => {
      throw error;
    };

    // Act
    const result = await update(event(), context);

    // Assess
    const problem = problemOf(result, 500);
    expect(problem.type).toBe('urn:itsm:problem:internal-error');
    expect(result.body).not.toContain('hunter2');
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toMatch(/stack|at .*\.ts/);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});

describe('httpHandler: successful responses', () => {
  it('serialises the body as JSON with the ETag of the version', async () => {
    answer = async () => ({ statusCode: 201, body: { id: 'abc', version: 7 }, version: 7, headers: { location: '/things/abc' } });

    const result = await update(event(), context);

    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', etag: '"7"', location: '/things/abc' });
    expect(JSON.parse(result.body)).toEqual({ id: 'abc', version: 7 });
  });

  it('hands the handler the parsed body and lower-cased headers', async () => {
    await update(event({ headers: { 'Content-Type': 'application/json', 'X-Trace': 't-1' } }), context);

    expect(received[0]?.body).toEqual(VALID_BODY);
    expect(received[0]?.headers['x-trace']).toBe('t-1');
    expect(received[0]?.path).toBe('/things/abc');
  });
});

describe('toProxyResult', () => {
  it.each([
    { name: 'version 1', version: 1, etag: '"1"' },
    { name: 'version 0', version: 0, etag: '"0"' },
    { name: 'version 42', version: 42, etag: '"42"' },
  ])('sets the ETag for $name', ({ version, etag }) => {
    expect(toProxyResult({ statusCode: 200, body: {}, version }).headers?.etag).toBe(etag);
  });

  it('sets no ETag without a version', () => {
    expect(toProxyResult({ statusCode: 200, body: { a: 1 } }).headers).not.toHaveProperty('etag');
  });

  it('a response without a body has an empty body and no content type', () => {
    const result = toProxyResult({ statusCode: 204 });

    expect(result.body).toBe('');
    expect(result.headers).not.toHaveProperty('content-type');
  });

  it('keeps a content type the handler chose', () => {
    const result = toProxyResult({ statusCode: 200, body: 'x', headers: { 'content-type': 'application/vnd.oai.openapi+json' } });

    expect(result.headers?.['content-type']).toBe('application/vnd.oai.openapi+json');
  });

  it('does not cache', () => {
    expect(toProxyResult({ statusCode: 200, body: {} }).headers?.['cache-control']).toBe('no-store');
  });
});

describe('checkIfMatch', () => {
  it.each([
    { name: 'no If-Match', ifMatch: undefined, current: 4 },
    { name: 'the current version', ifMatch: 4, current: 4 },
  ])('passes with $name', ({ ifMatch, current }) => {
    expect(() => checkIfMatch(ifMatch, current)).not.toThrow();
  });

  it.each([
    { name: 'an older version', ifMatch: 3, current: 4 },
    { name: 'a newer version', ifMatch: 5, current: 4 },
    { name: 'version 0', ifMatch: 0, current: 4 },
  ])('throws a 412 for $name', ({ ifMatch, current }) => {
    let thrown: unknown;
    try {
      checkIfMatch(ifMatch, current);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(PreconditionFailedError);
    expect((thrown as PreconditionFailedError).kind).toBe('precondition-failed');
  });
});

describe('problemResponse', () => {
  it('omits the instance when none is given', () => {
    const result = problemResponse(new NotFoundError('x'));

    expect(JSON.parse(result.body)).not.toHaveProperty('instance');
    expect(result.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(result.headers).not.toHaveProperty('retry-after');
  });
});
