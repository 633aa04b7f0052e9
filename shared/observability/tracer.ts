/**
 * The one X-Ray tracer (Powertools). It switches itself off outside Lambda
 * (no `AWS_EXECUTION_ENV`), under SAM local and when
 * `POWERTOOLS_TRACE_ENABLED=false`, so local runs and tests send no segments.
 * @module
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'itsm' });

/**
 * `client` with every call recorded as an X-Ray subsegment, when tracing is
 * on; the client itself otherwise (no middleware added, nothing to warn
 * about a missing segment).
 */
export function traced<T>(client: T): T {
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}
