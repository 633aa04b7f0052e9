/**
 * The wrapper every non-HTTP function runs in (bus rule targets, workflow
 * tasks, the outbox publisher, the authorizer): log keys for the
 * invocation (handler, tenant and correlation id when the input carries
 * them, the Lambda request id), an X-Ray subsegment around the handler, and
 * stored metrics flushed at the end. Errors are rethrown untouched, so
 * Step Functions' Retry/Catch and the event sources' retries still work.
 * @module
 */
import type { Context } from 'aws-lambda';
import { metrics } from './metrics.js';
import { beginInvocation, endInvocation } from './request-context.js';
import { tracer } from './tracer.js';

/** A string member of `value`, if it is an object that has one. */
function member(value: unknown, name: string): string | undefined {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/**
 * The tenant and correlation id an input carries: a bus event's `detail`
 * (our outbox events have `tenantId` and `eventId`, the id to follow an
 * event from the mutation that wrote it), or a workflow task's input.
 */
export function invocationKeysOf(event: unknown): { tenantId?: string; correlationId?: string } {
  const detail = typeof event === 'object' && event !== null && 'detail' in event ? (event as { detail: unknown }).detail : undefined;
  const tenantId = member(detail, 'tenantId') ?? member(event, 'tenantId');
  const correlationId = member(detail, 'eventId') ?? member(event, 'id');
  return { ...(tenantId ? { tenantId } : {}), ...(correlationId ? { correlationId } : {}) };
}

/** Wraps `handle`, the function `name` (`events/publish-outbox`, say), in the invocation's observability. */
export function backgroundHandler<E, R>(name: string, handle: (event: E) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    beginInvocation(context, { handler: name, requestId: context?.awsRequestId, ...invocationKeysOf(event) });
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      return await handle(event);
    } catch (error) {
      if (subsegment) tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      // Only when something was stored: an empty flush makes Powertools warn.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      endInvocation();
    }
  };
}
