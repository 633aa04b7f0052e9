/**
 * The local Step Functions endpoint (`SFN_ENDPOINT`): the operations the
 * product's handlers call through `shared/workflows/step-functions.ts`,
 * over the same AWS JSON 1.0 protocol the SDK speaks, answered by the local
 * runner (`local-workflows.ts`). Errors carry the Step Functions error names
 * so the SDK raises the same exception classes as in AWS.
 * @module
 */

import { invocationKeysOf } from '#shared/observability/background-handler.js';
import { readJson, sendJson } from './http-json.js';
import type { LocalEndpoint, ServiceEndpoint } from './http-server.js';
import { type LocalExecution, type LocalWorkflows, workflowOfArn } from './local-workflows.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const PATH = '/local/stepfunctions';

/** An operation's answer, or the error the SDK turns into its exception class. */
type Outcome = { readonly body: Record<string, unknown> } | { readonly error: string; readonly message: string };

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function describe(execution: LocalExecution): Record<string, unknown> {
  const ended = execution.ended;
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: ended?.status ?? 'RUNNING',
    startDate: epochSeconds(execution.startDate),
    input: JSON.stringify(execution.input),
    ...(execution.stopDate ? { stopDate: epochSeconds(execution.stopDate) } : {}),
    ...(ended?.status === 'SUCCEEDED' ? { output: JSON.stringify(ended.output ?? null) } : {}),
    ...(ended?.error !== undefined ? { error: ended.error, cause: ended.cause ?? '' } : {}),
  };
}

function parseJson(text: unknown): unknown {
  try {
    return JSON.parse(typeof text === 'string' ? text : '{}');
  } catch {
    return undefined;
  }
}

/** One operation of the Step Functions API against the local runner. */
export function stepFunctionsOperation(workflows: LocalWorkflows, operation: string, request: Record<string, unknown>): Outcome {
  switch (operation) {
    case 'StartExecution': {
      const workflow = workflowOfArn(String(request.stateMachineArn ?? ''), workflows.registry);
      if (!workflow) return { error: 'StateMachineDoesNotExist', message: `State machine does not exist: '${request.stateMachineArn}'` };
      const input = parseJson(request.input ?? '{}');
      if (input === undefined) return { error: 'InvalidExecutionInput', message: 'The input is not valid JSON.' };
      const started = workflows.start(workflow, input, typeof request.name === 'string' ? { name: request.name } : {});
      if (started === 'ExecutionAlreadyExists') return { error: 'ExecutionAlreadyExists', message: `Execution already exists: '${request.name}'` };
      return { body: { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) } };
    }
    case 'DescribeExecution': {
      const execution = workflows.execution(String(request.executionArn ?? ''));
      return execution ? { body: describe(execution) } : { error: 'ExecutionDoesNotExist', message: `Execution does not exist: '${request.executionArn}'` };
    }
    case 'StopExecution': {
      const stopped = workflows.stop(String(request.executionArn ?? ''), String(request.error ?? ''), String(request.cause ?? ''));
      return stopped
        ? { body: { stopDate: Date.now() / 1000 } }
        : { error: 'ExecutionDoesNotExist', message: `Execution does not exist: '${request.executionArn}'` };
    }
    case 'SendTaskSuccess': {
      const output = parseJson(request.output);
      if (output === undefined) return { error: 'InvalidOutput', message: 'The output is not valid JSON.' };
      const sent = workflows.sendTaskSuccess(String(request.taskToken ?? ''), output);
      return sent === true ? { body: {} } : { error: sent, message: `Task token refused: ${sent}` };
    }
    case 'SendTaskFailure': {
      const sent = workflows.sendTaskFailure(String(request.taskToken ?? ''), String(request.error ?? ''), String(request.cause ?? ''));
      return sent === true ? { body: {} } : { error: sent, message: `Task token refused: ${sent}` };
    }
    default:
      return { error: 'UnknownOperationException', message: `${operation} is not emulated locally` };
  }
}

/** The HTTP endpoint of the local Step Functions stand-in, for the product's SFN client (`SFN_ENDPOINT`). */
export function localStepFunctionsEndpoints(workflows: LocalWorkflows): ServiceEndpoint[] {
  return [
    async (request, response) => {
      if (request.method !== 'POST' || !request.url?.startsWith(PATH)) return false;
      const target = String(request.headers['x-amz-target'] ?? '');
      const outcome = stepFunctionsOperation(workflows, target.replace(/^AWSStepFunctions\./, ''), await readJson(request));
      if ('body' in outcome) sendJson(response, 200, outcome.body, CONTENT_TYPE);
      else sendJson(response, 400, { __type: outcome.error, message: outcome.message }, CONTENT_TYPE);
      return true;
    },
  ];
}

/**
 * `GET /local/stepfunctions/executions`: not an AWS operation, a window for
 * developers and tests onto what runs: the executions of the dev token's
 * tenant (the tenant their input carries, as every workflow input does).
 */
export function localExecutionsEndpoints(workflows: LocalWorkflows): LocalEndpoint[] {
  return [
    (request, response, caller) => {
      if (request.method !== 'GET' || request.url !== `${PATH}/executions`) return false;
      const items = workflows.executions().filter((execution) => invocationKeysOf(execution.input).tenantId === caller.tenantId);
      sendJson(response, 200, { items: items.map((execution) => ({ ...describe(execution), currentState: execution.currentState ?? null })) });
      return true;
    },
  ];
}
