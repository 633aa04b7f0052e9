/**
 * Configuration from the environment the stack (or the local runtime) sets.
 * @module
 */

/** The variable's value; a missing one is a deployment fault, so it throws. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * Settings of an AWS SDK client. The local runtime points a client at its
 * stand-in (DynamoDB Local, the local bus, the local scheduler) by setting
 * `endpointVariable`; in AWS the variable is absent and the SDK defaults
 * (regional endpoint, the function role's credentials) apply.
 */
export function awsClientConfig(endpointVariable: string) {
  const endpoint = process.env[endpointVariable];
  return {
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    region: process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 3,
  };
}
