/**
 * Configuration from the environment the stack (or the local runtime) sets.
 * @module
 */
import { Retry } from '@smithy/core/retry';

/** The variable's value; a missing one is a deployment fault, so it throws. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * How long an AWS SDK call may take, retries included. Every function's
 * timeout is above {@link SDK_CALL_BUDGET_MS} (10 s is the shortest), so a
 * dead or hanging service ends in the SDK's error, which the handler
 * answers as a 503, and not in a Lambda timeout the caller sees as a 504
 * with nothing logged. The standard retry mode backs off with jitter and
 * stops retrying when the client's retry quota is spent, so a long outage
 * fails fast instead of piling up waits.
 */
export const SDK_TIMEOUTS = {
  /** Attempts per call, the first included (the SDK's standard mode). */
  maxAttempts: 3,
  /** Opening a connection: within the region this takes milliseconds. */
  connectionTimeoutMs: 1_000,
  /** One attempt, connection included; DynamoDB answers in milliseconds. */
  requestTimeoutMs: 2_000,
} as const;

/** The worst case of one SDK call: every attempt timing out, plus the longest backoffs (throttling's) between them. */
export const SDK_CALL_BUDGET_MS =
  SDK_TIMEOUTS.maxAttempts * SDK_TIMEOUTS.requestTimeoutMs +
  Array.from({ length: SDK_TIMEOUTS.maxAttempts - 1 }, (_, retry) => Retry.throttlingDelay() * 2 ** retry).reduce((sum, delay) => sum + delay, 0);

/**
 * Settings of an AWS SDK client: the standard retry mode with
 * {@link SDK_TIMEOUTS}. The local runtime points a client at its stand-in
 * (DynamoDB Local, the local bus, the local scheduler) by setting
 * `endpointVariable`; in AWS the variable is absent and the SDK defaults
 * (regional endpoint, the function role's credentials) apply.
 */
export function awsClientConfig(endpointVariable: string) {
  const endpoint = process.env[endpointVariable];
  return {
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: process.env.AWS_REGION ?? 'us-east-1',
    retryMode: 'standard',
    maxAttempts: SDK_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: SDK_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: SDK_TIMEOUTS.requestTimeoutMs,
      // Without it the SDK only logs a warning when an attempt runs over requestTimeout.
      throwOnRequestTimeout: true,
    },
  };
}
