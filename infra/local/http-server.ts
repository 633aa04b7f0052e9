/**
 * The local API Gateway: maps the route table to the same handlers, runs
 * the same token authorizer first, and hands handlers the same proxy event
 * shape. Only the transport is local.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type RouteSpec, routeFunctionOf } from '#shared/http/route.js';
import { LocalBadRequestError, readBody } from './http-json.js';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorize = (authorization: string | undefined) => Promise<Record<string, string> | null>;

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Who called a developer endpoint: the dev token's claims, as the authorizer gives them to handlers. */
export interface LocalCaller {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: string;
}

/**
 * A local-only endpoint: answers and returns true when the request is its
 * own. Developer endpoints (events, clock, executions, fault injection …)
 * get the caller of a verified dev token and show only that caller's tenant.
 */
export type LocalEndpoint = (request: IncomingMessage, response: ServerResponse, caller: LocalCaller) => boolean | Promise<boolean>;

/**
 * A stand-in for an AWS service API that the product's own SDK clients call
 * (EventBridge, Scheduler, Step Functions, Lambda) or the authorizer reads
 * (JWKS). Those callers sign as AWS clients, not with a dev token, exactly
 * as in AWS, so these take no dev token.
 */
export type ServiceEndpoint = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface LocalApiOptions {
  readonly routes: readonly RouteSpec[];
  /** Loads a function's entry module (`functions/<entry>.ts`, the router of a practice and access level) on first use, as Lambda would. */
  readonly loadHandler: (entry: string) => Promise<ProxyHandler>;
  readonly authorize: Authorize;
  /** AWS service stand-ins, checked first, with no dev token. */
  readonly serviceEndpoints?: readonly ServiceEndpoint[];
  /** Developer endpoints under `/local/`: a dev token is required (401 without one). */
  readonly localEndpoints?: readonly LocalEndpoint[];
  /**
   * Per-tenant rate limits, as the usage plans apply them after the
   * authorizer (`tenant-throttle.ts`); absent: none. Synchronous for a known
   * tenant, so a refused request is answered without waiting on anything.
   */
  readonly admit?: (
    tenantId: string,
  ) => { readonly allowed: boolean; readonly retryAfterSeconds: number } | Promise<{ readonly allowed: boolean; readonly retryAfterSeconds: number }>;
  /**
   * What the authorizer adds that needs a read (the tenant's status), asked
   * only for a request the throttle admitted: a refused one costs no read.
   */
  readonly admitted?: (authorizer: Record<string, string>) => Promise<Record<string, string>>;
}

function compile(route: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .replace(/[.*+?^${}()|[\]\\]/g, (char) => (char === '{' || char === '}' ? char : `\\${char}`))
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

/** Same body as the API Gateway responses the CDK stack configures. */
function gatewayProblem(
  response: ServerResponse,
  status: number,
  title: string,
  detail: string,
  type = title.toLowerCase().replace(/\W+/g, '-'),
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  response.end(JSON.stringify({ type: `urn:itsm:problem:${type}`, title, status, detail }));
}

/** The 429 body, built once: a refused request should cost next to nothing. */
const THROTTLED_BODY = JSON.stringify({
  type: 'urn:itsm:problem:too-many-requests',
  title: 'Too many requests',
  status: 429,
  detail: "The tenant's request rate is over its tier's limit.",
});

function throttled(response: ServerResponse, retryAfterSeconds: number): void {
  response.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' });
  response.end(THROTTLED_BODY);
}

/** API Gateway's `BAD_REQUEST_PARAMETERS` / `BAD_REQUEST_BODY` answer (infra/stacks/api-stack.ts). */
function badRequest(response: ServerResponse, detail: string): void {
  gatewayProblem(response, 400, 'The request is not valid', detail, 'validation-error');
}

/** The caller a dev token names, or null. */
function callerOf(context: Record<string, string> | null): LocalCaller | null {
  return context?.tenantId && context.userId ? { tenantId: context.tenantId, userId: context.userId, roles: context.roles ?? '' } : null;
}

function lambdaContext(name: string, timeoutMs: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => timeoutMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Creates (but does not start) the local API server. */
export function createLocalApi(options: LocalApiOptions): Server {
  const compiled = options.routes.map(compile);
  const handlers = new Map<string, Promise<ProxyHandler>>();

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const endpoint of options.serviceEndpoints ?? []) if (await endpoint(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/local/')) {
      // Developer windows onto the local runtime: a dev token, and only its tenant's data.
      const caller = callerOf(await options.authorize(request.headers.authorization));
      if (!caller)
        return gatewayProblem(response, 401, 'Authentication required', 'The /local/ endpoints need a dev token (npm start prints them).', 'unauthorized');
      for (const endpoint of options.localEndpoints ?? []) if (await endpoint(request, response, caller)) return;
      return gatewayProblem(response, 404, 'Not found', `No local endpoint for ${method} ${url.pathname}.`, 'not-found');
    }
    const candidates = compiled.filter((entry) => entry.pattern.test(url.pathname));
    const match = candidates.find((entry) => entry.route.method === method);
    if (!match) {
      if (candidates.length > 0) return gatewayProblem(response, 405, 'Method not allowed', `${method} is not supported on ${url.pathname}.`);
      return gatewayProblem(response, 404, 'Not found', `No route for ${method} ${url.pathname}.`);
    }
    const { route } = match;
    let authorizer: Record<string, string> | null = null;
    if (route.roles !== 'public') {
      authorizer = await options.authorize(request.headers.authorization);
      if (!authorizer) return gatewayProblem(response, 401, 'Authentication required', 'Unauthorized');
      const pending = authorizer.tenantId && options.admit ? options.admit(authorizer.tenantId) : undefined;
      const verdict = pending instanceof Promise ? await pending : pending;
      if (verdict && !verdict.allowed) {
        // API Gateway's THROTTLED answer (infra/stacks/api-stack.ts), with the wait the bucket knows; no log line, as in AWS.
        return throttled(response, verdict.retryAfterSeconds);
      }
      if (options.admitted) authorizer = await options.admitted(authorizer);
    }
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(match.names.map((name, index) => [name, decodeURIComponent(values[index] ?? '')]));
    } catch {
      // `%ZZ` and the like: API Gateway refuses a path it cannot decode before any function runs.
      return badRequest(response, 'The path is not validly percent-encoded.');
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
    const query = [...url.searchParams.keys()];
    const body = await readBody(request);
    const event = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      // API Gateway REST keeps the last value of a repeated parameter.
      queryStringParameters: query.length ? Object.fromEntries(query.map((name) => [name, url.searchParams.getAll(name).at(-1) ?? ''])) : null,
      multiValueQueryStringParameters: query.length ? Object.fromEntries(query.map((name) => [name, url.searchParams.getAll(name)])) : null,
      pathParameters: match.names.length ? pathParameters : null,
      stageVariables: null,
      body: body === '' ? null : body,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer,
        httpMethod: method,
        path: `/local${url.pathname}`,
        protocol: 'HTTP/1.1',
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: route.operationId,
        resourcePath: route.path,
        stage: 'local',
        identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? null },
      },
    } as unknown as APIGatewayProxyEvent;
    // The same router function API Gateway invokes, so local runs exercise the routing too.
    const fn = routeFunctionOf(route);
    let handler = handlers.get(fn.entry);
    if (!handler) {
      handler = options.loadHandler(fn.entry);
      handlers.set(fn.entry, handler);
    }
    const result = await (await handler)(event, lambdaContext(fn.name, (route.timeoutSeconds ?? 10) * 1000));
    response.writeHead(result.statusCode, (result.headers ?? {}) as Record<string, string>);
    response.end(result.body);
  }

  return createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      if (error instanceof LocalBadRequestError && !response.headersSent) return badRequest(response, error.message);
      // API Gateway answers a crashed integration with 502; the handler itself never lets an error out.
      console.error(error);
      if (!response.headersSent) gatewayProblem(response, 502, 'Bad gateway', 'The handler failed.');
      else response.end();
    });
  });
}
