/**
 * DynamoDB throttling, as the caller should see it: a 429 with Retry-After
 * (after the SDK's own retries), never a 500.
 * @module
 */
import { TooManyRequestsError } from '#shared/domain/errors.js';

const THROTTLING = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded']);

/** `error` itself, or a TooManyRequestsError when it is DynamoDB throttling. */
export function translateThrottling(error: unknown): unknown {
  const name = (error as { name?: string } | null)?.name;
  return name && THROTTLING.has(name) ? new TooManyRequestsError('The data store is throttling requests; retry shortly.') : error;
}
