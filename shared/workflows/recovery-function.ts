/**
 * The one door to the recovery functions a continuity plan's automated
 * steps invoke: Lambda functions of the deploying account named
 * `itsm-recovery-…` (runbooks: restore a database, fail over a region),
 * invoked synchronously with the step's payload. The local runtime points
 * the client at its stand-in (`LAMBDA_ENDPOINT`), which forwards each
 * invocation to the URL registered for the name.
 * @module
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { RECOVERY_FUNCTION_NAME } from '#shared/domain/continuity/continuity-plan.js';
import { awsClientConfig, SDK_TIMEOUTS } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';

// A runbook may run for minutes: the step's own timeout (an abort signal per call) bounds it, not the SDK's request timeout.
const client = traced(
  new LambdaClient({ ...awsClientConfig('LAMBDA_ENDPOINT'), maxAttempts: 1, requestHandler: { connectionTimeout: SDK_TIMEOUTS.connectionTimeoutMs } }),
);

/** How an invocation ended: the function's answer, or why there is none. */
export type RecoveryInvocation = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly reason: string };

/** Invokes `functionName` with `payload`, waiting at most `timeoutSeconds`. */
export async function invokeRecoveryFunction(functionName: string, payload: unknown, timeoutSeconds: number): Promise<RecoveryInvocation> {
  if (!RECOVERY_FUNCTION_NAME.test(functionName)) return { ok: false, reason: `${functionName} is not a recovery function name` };
  try {
    const output = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(payload)) }), {
      abortSignal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    const text = output.Payload ? new TextDecoder().decode(output.Payload) : 'null';
    if (output.FunctionError) return { ok: false, reason: `function error (${output.FunctionError}): ${text.slice(0, 300)}` };
    try {
      return { ok: true, result: JSON.parse(text) };
    } catch {
      return { ok: false, reason: 'the answer is not JSON' };
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'AbortError' || name === 'TimeoutError') return { ok: false, reason: `no answer within ${timeoutSeconds} s` };
    return { ok: false, reason: `not invoked (${name}: ${(error as Error).message})` };
  }
}
