/**
 * The one door to Step Functions: start and stop executions, complete the
 * human tasks (`.waitForTaskToken`) a workflow waits on. The local runtime
 * points the client at its in-process runner (`SFN_ENDPOINT`), which speaks
 * the same protocol.
 * @module
 */
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';
import { stateMachineArnVariable } from './workflow-arn.js';

const client = traced(new SFNClient(awsClientConfig('SFN_ENDPOINT')));

/** The ARN of the state machine of `workflow` (e.g. `incident-escalation`), as the stack set it. */
export function stateMachineArn(workflow: string): string {
  return requiredEnv(stateMachineArnVariable(workflow));
}

/** The ARN of the execution `name` of `stateMachine` (`…:stateMachine:<m>` → `…:execution:<m>:<name>`). */
export function executionArnOf(stateMachine: string, name: string): string {
  return `${stateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Execution names allow more, but these are safe in every ARN, log and console that shows them. */
const UNSAFE_NAME_CHARACTERS = /[^A-Za-z0-9._-]/g;

/** `name` made acceptable as an execution name (unsafe characters become `-`, cut to 80). */
export function executionName(name: string): string {
  return name.replace(UNSAFE_NAME_CHARACTERS, '-').slice(0, 80);
}

/**
 * Starts `name`; execution names are unique per state machine (for 90 days),
 * so a repeated start of the same name (a retried event) starts nothing
 * and answers `started: false`.
 */
export async function startExecution(input: { stateMachineArn: string; name: string; input: unknown }): Promise<{ executionArn: string; started: boolean }> {
  const name = executionName(input.name);
  try {
    const output = await client.send(new StartExecutionCommand({ stateMachineArn: input.stateMachineArn, name, input: JSON.stringify(input.input) }));
    return { executionArn: output.executionArn ?? executionArnOf(input.stateMachineArn, name), started: true };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { executionArn: executionArnOf(input.stateMachineArn, name), started: false };
    throw error;
  }
}

/** Stops a running execution; false when there is no such execution (already gone). Stopping a finished one is a no-op. */
export async function stopExecution(executionArn: string, error: string, cause: string): Promise<boolean> {
  try {
    await client.send(new StopExecutionCommand({ executionArn, error, cause }));
    return true;
  } catch (failure) {
    if (failure instanceof ExecutionDoesNotExist) return false;
    throw failure;
  }
}

/** Whether an SDK error says the task token no longer leads anywhere (unknown, finished or timed out). */
function isDeadToken(error: unknown): boolean {
  return error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken;
}

/** Completes the human task waiting on `taskToken` with `output`; false when the task is gone or timed out. */
export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<boolean> {
  try {
    await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    if (isDeadToken(error)) return false;
    throw error;
  }
}

/** Fails the human task waiting on `taskToken` (its Catch sees `error`); false when the task is gone or timed out. */
export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
  try {
    await client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return true;
  } catch (failure) {
    if (isDeadToken(failure)) return false;
    throw failure;
  }
}
