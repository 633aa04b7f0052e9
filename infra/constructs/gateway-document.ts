/**
 * The API Gateway definition of the HTTP API: an OpenAPI 3.0 document made
 * from the route table, with an `x-amazon-apigateway-integration` per
 * operation (Lambda proxy to the function serving it), the token authorizer
 * as a security scheme, and the problem+json gateway responses. Routes are
 * then not CloudFormation resources: the API stack does not grow with them.
 *
 * Request and response schemas stay out of this document: handlers validate
 * with the route's zod schemas (field-level problem+json), and the complete
 * OpenAPI 3.1 document for clients is served at `/openapi.json`. API Gateway
 * imports OpenAPI 3.0, whose JSON Schema dialect differs from 3.1's.
 * @module
 */
import { Aws } from 'aws-cdk-lib';
import { type RouteSpec, routeKey } from '#shared/http/route.js';

/** An error API Gateway answers itself, in the handlers' RFC 9457 shape. */
export interface GatewayProblem {
  /** API Gateway response type, e.g. `UNAUTHORIZED`, `DEFAULT_4XX`. */
  readonly responseType: string;
  /** @default - API Gateway's own status (only for the DEFAULT_* catch-alls) */
  readonly status?: number;
  readonly problem: string;
  readonly title: string;
  /** A literal detail. @default - API Gateway's own message */
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GatewayDocumentProps {
  readonly title: string;
  readonly routes: readonly RouteSpec[];
  /** ARN of the function that serves a route. */
  readonly functionArn: (route: RouteSpec) => string;
  readonly authorizerArn: string;
  readonly region: string;
  readonly problems: readonly GatewayProblem[];
  /** @default 300 */
  readonly authorizerCacheSeconds?: number;
}

/** The security scheme name of the token authorizer. */
export const AUTHORIZER_SCHEME = 'bearer-token';
/**
 * The usage key scheme: every authenticated operation requires an API key,
 * which the authorizer supplies (`usageIdentifierKey`, API key source
 * AUTHORIZER), so each tenant is metered by its tier's usage plan. Clients
 * send no `x-api-key`; API Gateway ignores one when the source is the authorizer.
 */
export const USAGE_KEY_SCHEME = 'tenant-usage-key';
/** Malformed `Authorization` headers get a 401 without invoking (and paying for) the authorizer. */
export const BEARER_PATTERN = '^[Bb]earer [-0-9A-Za-z._~+/]+=*$';
const VALIDATOR = 'params-only';

function lambdaUri(region: string, functionArn: string): string {
  return `arn:${Aws.PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1] as string);
}

/** Body templates only substitute variables: `$context.error.messageString` is already a quoted JSON string. */
function problemResponse(spec: GatewayProblem) {
  const detail = spec.detail === undefined ? '$context.error.messageString' : JSON.stringify(spec.detail);
  const members = [
    `"type":"urn:itsm:problem:${spec.problem}"`,
    `"title":${JSON.stringify(spec.title)}`,
    // The catch-alls keep API Gateway's status, which no variable exposes: they name the response type instead.
    ...(spec.status === undefined ? ['"responseType":"$context.error.responseType"'] : [`"status":${spec.status}`]),
    `"detail":${detail}`,
  ];
  const headers = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...spec.headers };
  return {
    ...(spec.status === undefined ? {} : { statusCode: String(spec.status) }),
    // Header values are mapping expressions: literals go in single quotes.
    responseParameters: Object.fromEntries(Object.entries(headers).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`])),
    responseTemplates: { 'application/json': `{${members.join(',')}}` },
  };
}

/** Builds the document; values may be CDK tokens (function ARNs, region). */
export function gatewayDocument(props: GatewayDocumentProps): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  for (const route of props.routes) {
    if (seen.has(routeKey(route))) throw new Error(`Two routes for ${routeKey(route)}`);
    seen.add(routeKey(route));
    const parameters = pathParameters(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(parameters.length ? { parameters } : {}),
      security: route.roles === 'public' ? [] : [{ [AUTHORIZER_SCHEME]: [], [USAGE_KEY_SCHEME]: [] }],
      responses: { [String(route.response.status)]: { description: route.response.description } },
      'x-amazon-apigateway-integration': {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: lambdaUri(props.region, props.functionArn(route)),
        passthroughBehavior: 'when_no_match',
        timeoutInMillis: 29_000,
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: { title: props.title, version: '1.0' },
    paths,
    components: {
      securitySchemes: {
        [AUTHORIZER_SCHEME]: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: lambdaUri(props.region, props.authorizerArn),
            // The policy covers the whole stage, so one decision per token serves every route.
            authorizerResultTtlInSeconds: props.authorizerCacheSeconds ?? 300,
            identityValidationExpression: BEARER_PATTERN,
          },
        },
        [USAGE_KEY_SCHEME]: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    },
    'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
    // The gateway checks that declared path parameters are present; handlers validate the rest with zod.
    'x-amazon-apigateway-request-validators': { [VALIDATOR]: { validateRequestParameters: true, validateRequestBody: false } },
    'x-amazon-apigateway-request-validator': VALIDATOR,
    'x-amazon-apigateway-gateway-responses': Object.fromEntries(props.problems.map((spec) => [spec.responseType, problemResponse(spec)])),
  };
}

/**
 * API Gateway resources (path segments) a route table needs: every distinct
 * path prefix, the root included. The quota is 300 per REST API.
 */
export function gatewayResourceCount(routes: readonly Pick<RouteSpec, 'path'>[]): number {
  const prefixes = new Set<string>(['/']);
  for (const { path } of routes) {
    const segments = path.split('/').filter(Boolean);
    for (let end = 1; end <= segments.length; end++) prefixes.add(`/${segments.slice(0, end).join('/')}`);
  }
  return prefixes.size;
}
