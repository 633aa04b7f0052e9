/**
 * The one metrics emitter (Powertools, CloudWatch Embedded Metric Format):
 * metrics are JSON lines in the function's log, so they need no IAM grant
 * and no API call. Namespace from `POWERTOOLS_METRICS_NAMESPACE` (`Itsm`),
 * service from `POWERTOOLS_SERVICE_NAME`.
 *
 * Dimensions are only ever `service` (and `route` for the HTTP metrics): a
 * tenant id goes into metadata, because each distinct dimension value is a
 * separately billed custom metric.
 * @module
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.js';
import { METRICS_NAMESPACE } from './metric-names.js';

// Outside Lambda (local server, tests) EMF lines would only clutter stdout:
// off unless the variable says otherwise. Set before any `Metrics` is built,
// because each one (the single metrics too) reads it in its constructor.
if (!process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.POWERTOOLS_METRICS_DISABLED === undefined) {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
}

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'itsm',
  // Its warnings (an invalid dimension, say) become structured log lines.
  logger,
});

/** The correlation id of the invocation under way, set by `beginInvocation`. */
let correlationId: string | undefined;

/** Records the invocation's correlation id (or none), for the metadata of business counts. */
export function setCorrelationId(id: string | undefined): void {
  correlationId = id;
}

/**
 * Counts one committed business event (`IncidentCreated`, `ChangeCreated`,
 * `CiCreated`…) under its event type, published at once with the `service`
 * dimension only; the tenant, the event id and the correlation id go into
 * metadata, so the EMF line ties a request to the events it committed.
 */
export function countBusinessEvent(eventType: string, tenantId: string, eventId: string): void {
  const single = metrics.singleMetric();
  single.addMetadata('tenantId', tenantId);
  single.addMetadata('eventId', eventId);
  if (correlationId) single.addMetadata('correlationId', correlationId);
  single.addMetric(eventType, MetricUnit.Count, 1);
}
