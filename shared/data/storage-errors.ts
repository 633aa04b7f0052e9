/**
 * Storage failures as the caller should see them: a throttled, unreachable
 * or failing DynamoDB is a 503 with `Retry-After` (`#shared/aws-errors.ts`),
 * whether the SDK threw it or a cancelled transaction gave it as a reason.
 * @module
 */
import { asServiceUnavailable, RETRY_AFTER_SECONDS } from '#shared/aws-errors.js';
import { ServiceUnavailableError } from '#shared/domain/errors.js';

const DATA_STORE = 'The data store';

/** Transaction cancellation reasons that mean the store, not the request, stopped the transaction. */
const THROTTLED_CANCELLATION_CODES = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

/** Whether a cancelled transaction's reasons include throttling. */
export function isThrottledCancellation(codes: readonly (string | undefined)[]): boolean {
  return codes.some((code) => code !== undefined && THROTTLED_CANCELLATION_CODES.has(code));
}

/** The 503 for a transaction the store cancelled because it was throttling. */
export function storageThrottled(): ServiceUnavailableError {
  return new ServiceUnavailableError(`${DATA_STORE} is throttling requests; retry shortly.`, RETRY_AFTER_SECONDS.throttled);
}

/** `error` itself, or a {@link ServiceUnavailableError} when DynamoDB could not serve the call. */
export function translateStorageError(error: unknown): unknown {
  return asServiceUnavailable(error, DATA_STORE);
}
