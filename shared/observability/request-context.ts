/**
 * Observability for one invocation: the log keys every line of it carries,
 * the X-Ray annotations, and the per-route metrics of an API request. Used by
 * the HTTP middleware (`observeRequest`) and by the background wrapper
 * (`observeInvocation`); both clear the keys when the invocation ends, so
 * nothing of one tenant's request reaches the next one's log lines.
 * @module
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from './logger.js';
import { ROUTE_METRICS } from './metric-names.js';
import { metrics, setCorrelationId } from './metrics.js';
import { tracer } from './tracer.js';

/** The header a caller may send to tie its own logs to ours; echoed on every response. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** A caller's correlation id is logged as sent, up to this length and from this alphabet. */
const CORRELATION_ID = /^[\w.:/+=@-]{1,128}$/;

/** The keys an invocation's log lines carry; absent ones are left out. */
export interface InvocationKeys {
  readonly tenantId?: string | undefined;
  readonly userId?: string | undefined;
  readonly route?: string | undefined;
  /** The function, for one that is not an API route (`events/publish-outbox`). */
  readonly handler?: string | undefined;
  readonly requestId?: string | undefined;
  readonly correlationId?: string | undefined;
}

/** Starts an invocation: the keys of the last one cleared, the Lambda context and `keys` appended, the trace annotated. */
export function beginInvocation(context: Context | undefined, keys: InvocationKeys): void {
  logger.resetKeys();
  if (context?.awsRequestId) logger.addContext(context);
  // Emitted once per execution environment, with the `service` and `function_name` dimensions.
  metrics.captureColdStartMetric(context?.functionName);
  const present = Object.fromEntries(Object.entries(keys).filter(([, value]) => typeof value === 'string' && value !== ''));
  logger.appendKeys(present);
  setCorrelationId(present.correlationId);
  // Annotations are indexed by X-Ray: a tenant's or a route's traces can be filtered.
  if (tracer.isTracingEnabled()) {
    for (const name of ['tenantId', 'route', 'correlationId'] as const) if (present[name]) tracer.putAnnotation(name, present[name]);
  }
}

/** Ends an invocation: no key outlives it. */
export function endInvocation(): void {
  logger.resetKeys();
  setCorrelationId(undefined);
}

function correlationIdOf(event: APIGatewayProxyEvent): string | undefined {
  const sent = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === CORRELATION_HEADER)?.[1];
  return sent && CORRELATION_ID.test(sent) ? sent : event.requestContext?.requestId;
}

/**
 * Middy middleware for an API route: log keys from the authorizer context
 * and the request, the correlation id echoed as `x-correlation-id`, and the
 * route's metrics (`Latency` in ms, `ClientErrors` and `ServerErrors` as 0/1
 * counts, so their average is the error rate) with the dimensions `service`
 * and `route` only; the tenant rides along as metadata. Must be used before
 * the middleware that maps errors to responses, so it sees the final status.
 */
export function observeRequest(operationId: string): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  let startedAt = 0;
  let correlationId: string | undefined;
  let tenantId: string | undefined;
  const finish = (response: APIGatewayProxyResult | undefined) => {
    const status = response?.statusCode ?? 500;
    if (response && correlationId) response.headers = { ...response.headers, [CORRELATION_HEADER]: correlationId };
    metrics.addDimension('route', operationId);
    metrics.addMetric(ROUTE_METRICS.latency, MetricUnit.Milliseconds, performance.now() - startedAt);
    metrics.addMetric(ROUTE_METRICS.clientErrors, MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
    metrics.addMetric(ROUTE_METRICS.serverErrors, MetricUnit.Count, status >= 500 ? 1 : 0);
    if (tenantId) metrics.addMetadata('tenantId', tenantId);
    if (correlationId) metrics.addMetadata('correlationId', correlationId);
    metrics.publishStoredMetrics();
    endInvocation();
  };
  return {
    before: (request) => {
      startedAt = performance.now();
      const { event } = request;
      // Set by API Gateway from the verified token (the caller cannot forge it); only logged here.
      const caller = (event.requestContext?.authorizer ?? {}) as { tenantId?: unknown; userId?: unknown };
      tenantId = typeof caller.tenantId === 'string' ? caller.tenantId : undefined;
      correlationId = correlationIdOf(event);
      beginInvocation(request.context, {
        tenantId,
        userId: typeof caller.userId === 'string' ? caller.userId : undefined,
        route: operationId,
        requestId: event.requestContext?.requestId,
        correlationId,
      });
    },
    after: (request) => finish(request.response ?? undefined),
    onError: (request) => finish(request.response ?? undefined),
  };
}
