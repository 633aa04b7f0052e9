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

/** The namespace of every custom metric of the product. */
export const METRICS_NAMESPACE = 'Itsm';

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

/**
 * Counts one committed business event (`IncidentCreated`, `ChangeCreated`,
 * `CiCreated`…) under its event type, published at once with the `service`
 * dimension only; the tenant goes into metadata.
 */
export function countBusinessEvent(eventType: string, tenantId: string): void {
  const single = metrics.singleMetric();
  single.addMetadata('tenantId', tenantId);
  single.addMetric(eventType, MetricUnit.Count, 1);
}
