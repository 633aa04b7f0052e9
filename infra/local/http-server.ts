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
import { readBody } from './http-json.js';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorize = (authorization: string | undefined) => Promise<Record<string, string> | null>;

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Extra local-only endpoints (JWKS, event stream …), checked before the API routes. */
export type LocalEndpoint = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface LocalApiOptions {
  readonly routes: readonly RouteSpec[];
  /** Loads a function's entry module (`functions/<entry>.ts`, the router of a practice and access level) on first use, as Lambda would. */
  readonly loadHandler: (entry: string) => Promise<ProxyHandler>;
  readonly authorize: Authorize;
  readonly localEndpoints?: readonly LocalEndpoint[];
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
function gatewayProblem(response: ServerResponse, status: number, title: string, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: `urn:itsm:problem:${title.toLowerCase().replace(/\W+/g, '-')}`, title, status, detail }));
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
    for (const endpoint of options.localEndpoints ?? []) if (await endpoint(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
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
    }
    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    const pathParameters = Object.fromEntries(match.names.map((name, index) => [name, decodeURIComponent(values[index] ?? '')]));
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
      // API Gateway answers a crashed integration with 502; the handler itself never lets an error out.
      console.error(error);
      if (!response.headersSent) gatewayProblem(response, 502, 'Bad gateway', 'The handler failed.');
      else response.end();
    });
  });
}
