/**
 * Names shared by the code that emits the metrics and the dashboard that
 * reads them. No side effects: the CDK app imports it.
 * @module
 */

/** The CloudWatch namespace of every custom metric of the product (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Itsm';

/** Per-route metrics of the HTTP middleware, with the dimensions `service` and `route`. */
export const ROUTE_METRICS = {
  /** Milliseconds from the first middleware to the response. */
  latency: 'Latency',
  /** 1 for a 4xx response, else 0: the average is the client-error rate. */
  clientErrors: 'ClientErrors',
  /** 1 for a 5xx response, else 0. */
  serverErrors: 'ServerErrors',
} as const;
