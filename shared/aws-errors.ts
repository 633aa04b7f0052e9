/**
 * AWS SDK failures that mean "not now" rather than "no": a service the
 * operation needs (DynamoDB, EventBridge, Step Functions, Scheduler) is
 * throttling, unreachable, timing out or failing on its side, and the SDK
 * has used its own retries. They become a {@link ServiceUnavailableError}
 * (503 with `Retry-After`), never a 500.
 *
 * The classification is the SDK's own (`@smithy/core/retry`: the functions
 * its retry strategy decides with), so what the SDK retried as throttling
 * or a transient fault, and gave up on, is exactly what becomes a 503.
 * Throttling is a 503 and not a 429 on purpose: the caller broke no rate it
 * is held to (that 429 is the API stage's), the service is short of
 * capacity, and a client does the same for both: wait, then send the same
 * request again.
 * @module
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DomainError, ServiceUnavailableError } from '#shared/domain/errors.js';

/** Seconds a caller waits before trying again: throttling clears fast, an outage takes a restart or a failover. */
export const RETRY_AFTER_SECONDS = { throttled: 1, unavailable: 2 } as const;

/**
 * `error` itself, or a {@link ServiceUnavailableError} naming `service` when
 * it says the service could not serve the call. Everything else (a failed
 * condition, a validation error, a domain error, a bug) passes unchanged.
 */
export function asServiceUnavailable(error: unknown, service = 'A service this operation needs'): unknown {
  if (typeof error !== 'object' || error === null || error instanceof DomainError) return error;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(sdkError)) {
    return new ServiceUnavailableError(`${service} is throttling requests; retry shortly.`, RETRY_AFTER_SECONDS.throttled, { cause: error });
  }
  if (isTransientError(sdkError) || isServerError(sdkError)) {
    return new ServiceUnavailableError(`${service} is unavailable right now; retry shortly.`, RETRY_AFTER_SECONDS.unavailable, { cause: error });
  }
  return error;
}
