/**
 * The middy stack every API handler runs in: caller from the authorizer
 * context, role check (`authorizeRoute`: 404 on a record's route for a role
 * that cannot see it), validation of path, query, headers and body,
 * problem+json for every error, JSON and ETag on the way out. Handlers only
 * map a parsed request to a domain call and a result.
 * @module
 */
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { runInTenantScope } from '#shared/data/tenant-scope.js';
import { DomainError, PreconditionFailedError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { logger } from '#shared/observability/logger.js';
import { observeRequest } from '#shared/observability/request-context.js';
import { tracer } from '#shared/observability/tracer.js';
import { actorFromEvent, authorizeRoute } from './auth-context.js';
import { problemResponse } from './problem.js';
import { etagOf, expectedVersionOf, idempotencyKeyOf, lowerCaseHeaders, parseBody, parseParams, parseQuery, requestHash } from './request-validation.js';
import type { RouteSpec } from './route.js';

type Infer<T> = [NonNullable<T>] extends [z.ZodType] ? z.infer<NonNullable<T>> : undefined;

/** What a handler receives: everything already verified and typed. */
export interface ApiRequest<R extends RouteSpec> {
  readonly actor: R['roles'] extends 'public' ? Actor | null : Actor;
  readonly params: Infer<R['params']>;
  readonly query: Infer<R['query']>;
  readonly body: Infer<R['body']>;
  readonly headers: Readonly<Record<string, string>>;
  /** From `If-Match`; `undefined` when the caller did not send one. */
  readonly ifMatch: number | undefined;
  /** Present when the route is idempotent and the caller sent `Idempotency-Key`. */
  readonly idempotency: { readonly key: string; readonly requestHash: string } | undefined;
  readonly path: string;
}

/** What a handler returns; `version` becomes the ETag. */
export interface ApiResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly version?: number;
  /** A body sent as it is instead of as JSON (JSON lines, say), with its `content-type` in `headers`. */
  readonly text?: string;
}

/**
 * Wraps `handle` in the shared middleware for `route`. Tracing and
 * observation (log keys, correlation id, route metrics) come first, so their
 * after/error steps run last and see the final response.
 */
export function httpHandler<R extends RouteSpec>(route: R, handle: (request: ApiRequest<R>) => Promise<ApiResult>) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(observeRequest(route.operationId))
    .use({
      onError: async (request) => {
        if (!(request.error instanceof DomainError)) logger.error('Unhandled error', { error: request.error as Error, path: request.event?.path });
        request.response = problemResponse(request.error, request.event?.path);
      },
    })
    .handler(async (event) => {
      const headers = lowerCaseHeaders(event);
      const actor = route.roles === 'public' ? null : actorFromEvent(event);
      if (actor && route.roles !== 'public') authorizeRoute(actor, { path: route.path, roles: route.roles });
      const params = parseParams(route.params, event);
      const query = parseQuery(route.query, event);
      const body = parseBody(route.body, event, headers, { format: route.bodyFormat, maxBytes: route.maxBodyBytes });
      const expected = route.conditional ? expectedVersionOf(headers) : undefined;
      if (expected === 'never') throw new PreconditionFailedError('If-Match names no version of this resource.');
      const key = route.idempotent ? idempotencyKeyOf(headers) : undefined;
      const request = {
        actor,
        params,
        query,
        body,
        headers,
        ifMatch: expected,
        idempotency: key === undefined ? undefined : { key, requestHash: requestHash(event.httpMethod, event.path, body) },
        path: event.path,
      } as ApiRequest<R>;
      // The tenant wall: an authenticated caller's handler touches only its tenant's keys (shared/data/tenant-scope.ts).
      return toProxyResult(await (actor ? runInTenantScope(actor.tenantId, () => handle(request)) : handle(request)));
    });
}

/** Serialises a result as JSON with the ETag of its version. */
export function toProxyResult(result: ApiResult): APIGatewayProxyResult {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...result.headers };
  if (result.body !== undefined) headers['content-type'] ??= 'application/json';
  if (result.version !== undefined) headers.etag = etagOf(result.version);
  if (result.text !== undefined) return { statusCode: result.statusCode, headers, body: result.text };
  return { statusCode: result.statusCode, headers, body: result.body === undefined ? '' : JSON.stringify(result.body) };
}

/** The response an idempotent create produced, as stored with its idempotency record. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** The response an earlier request with the same `Idempotency-Key` produced, marked as a replay. */
export function replayedResult(stored: unknown): ApiResult {
  // What storedResponse gave the data layer, read back unchanged.
  const response = stored as StoredResponse;
  const { version } = (response.body ?? {}) as { version?: number };
  return {
    statusCode: response.statusCode,
    headers: { ...response.headers, 'idempotent-replayed': 'true' },
    body: response.body,
    ...(version === undefined ? {} : { version }),
  };
}

/** What to store for an idempotent create: the exact response the caller got. */
export function storedResponse(result: ApiResult): StoredResponse {
  return { statusCode: result.statusCode, headers: { ...result.headers }, body: result.body };
}

/** 412 when the caller named a version that is not the current one. */
export function checkIfMatch(ifMatch: number | undefined, current: number): void {
  if (ifMatch !== undefined && ifMatch !== current) {
    throw new PreconditionFailedError(`If-Match names version ${ifMatch}, but the current version is ${current}.`);
  }
}
