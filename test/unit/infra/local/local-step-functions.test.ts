/**
 * The local Step Functions stand-in: human tasks (`.waitForTaskToken`)
 * completed, failed and timed out; StartExecution name idempotency and
 * StopExecution; and the same operations through the AWS SDK client over
 * the local endpoint, so `shared/workflows/step-functions.ts` behaves
 * locally as in AWS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStepFunctionsEndpoints } from '../../../../infra/local/local-step-functions.js';
import { createLocalWorkflows, type LocalWorkflows, localStateMachineArn } from '../../../../infra/local/local-workflows.js';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const registry = { 'human-task': { file: 'test/fixtures/human-task.asl.json', functions: { NotifyFunctionArn: 'fixtures/notify' } } };

/** A runner whose notify function records the payloads (with their tokens) it was asked to deliver. */
function runner(): { workflows: LocalWorkflows; asked: { taskToken: string; request: string; execution: string }[]; nextAsk(): Promise<string> } {
  const asked: { taskToken: string; request: string; execution: string }[] = [];
  const waiting: ((token: string) => void)[] = [];
  const workflows = createLocalWorkflows({
    repoRoot,
    registry,
    functions: {
      'fixtures/notify': async (payload) => {
        const ask = payload as (typeof asked)[number];
        asked.push(ask);
        waiting.shift()?.(ask.taskToken);
        return { delivered: true };
      },
    },
  });
  return {
    workflows,
    asked,
    nextAsk: () =>
      new Promise((resolve) => (asked.length > waiting.length ? resolve((asked[waiting.length] as (typeof asked)[number]).taskToken) : waiting.push(resolve))),
  };
}

describe('local runner: human tasks', () => {
  it('waits for SendTaskSuccess and continues with its output', async () => {
    const { workflows, nextAsk, asked } = runner();
    const execution = workflows.start('human-task', { request: 'approve CHG0001' }, { name: 'approve-1' });
    if (execution === 'ExecutionAlreadyExists') throw new Error('unexpected');
    const token = await nextAsk();
    expect(asked[0]).toMatchObject({ request: 'approve CHG0001', execution: 'approve-1' });
    expect(execution.ended).toBeUndefined();
    expect(workflows.sendTaskSuccess(token, { approvedBy: 'ann' })).toBe(true);
    const result = await execution.result;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { request: 'approve CHG0001', answer: { approvedBy: 'ann' } } });
    expect(result.states).toEqual(['AskHuman', 'Approved']);
    // A used token is gone, as in AWS.
    expect(workflows.sendTaskSuccess(token, {})).toBe('TaskDoesNotExist');
  });

  it('SendTaskFailure reaches the Catch with its error name', async () => {
    const { workflows, nextAsk } = runner();
    const result = workflows.startExecution('human-task', { request: 'x' });
    expect(workflows.sendTaskFailure(await nextAsk(), 'Rejected', 'Too risky')).toBe(true);
    expect(await result).toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'refused', error: { Error: 'Rejected' } } });
  });

  it('times out after TimeoutSeconds (overridden) as States.Timeout; the token then answers TaskTimedOut', async () => {
    const { workflows, nextAsk } = runner();
    const result = workflows.startExecution('human-task', { request: 'x' }, { taskTimeoutOverrides: { AskHuman: 20 } });
    const token = await nextAsk();
    expect(await result).toMatchObject({ status: 'FAILED', error: 'NoAnswer' });
    expect(workflows.sendTaskSuccess(token, {})).toBe('TaskDoesNotExist');
  });

  it('an unknown token is refused', () => {
    expect(runner().workflows.sendTaskSuccess('nope', {})).toBe('TaskDoesNotExist');
  });

  it('a name is unique: the same running start answers the same execution, another input is refused; stop aborts', async () => {
    const { workflows, nextAsk } = runner();
    const first = workflows.start('human-task', { request: 'a' }, { name: 'once' });
    expect(workflows.start('human-task', { request: 'a' }, { name: 'once' })).toBe(first);
    expect(workflows.start('human-task', { request: 'b' }, { name: 'once' })).toBe('ExecutionAlreadyExists');
    const token = await nextAsk();
    if (first === 'ExecutionAlreadyExists') throw new Error('unexpected');
    expect(workflows.running()).toHaveLength(1);
    expect(workflows.stop(first.executionArn, 'Superseded', 'A newer one runs')).toBe(true);
    expect(await first.result).toMatchObject({ status: 'ABORTED', error: 'Superseded', cause: 'A newer one runs' });
    expect(workflows.sendTaskSuccess(token, {})).toBe('TaskDoesNotExist');
    expect(workflows.running()).toHaveLength(0);
    expect(workflows.start('human-task', { request: 'a' }, { name: 'once' })).toBe('ExecutionAlreadyExists');
  });
});

describe('local endpoint through the AWS SDK (shared/workflows/step-functions.ts)', () => {
  let server: Server;
  let local: ReturnType<typeof runner>;
  let sfn: typeof import('#shared/workflows/step-functions.js');

  beforeAll(async () => {
    local = runner();
    const endpoints = localStepFunctionsEndpoints(local.workflows);
    server = createServer(async (request, response) => {
      for (const endpoint of endpoints) if (await endpoint(request, response)) return;
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    process.env.SFN_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local/stepfunctions`;
    process.env.HUMAN_TASK_STATE_MACHINE_ARN = localStateMachineArn('human-task');
    sfn = await import('#shared/workflows/step-functions.js');
  });
  afterAll(async () => {
    local.workflows.stopAll();
    await new Promise((resolve) => server.close(resolve));
  });

  it('starts once per name, completes the human task, refuses a dead token, stops', async () => {
    const arn = sfn.stateMachineArn('human-task');
    const started = await sfn.startExecution({ stateMachineArn: arn, name: 'INC 1/v2', input: { request: 'sdk' } });
    expect(started).toEqual({ executionArn: `${arn.replace(':stateMachine:', ':execution:')}:INC-1-v2`, started: true });
    expect(await sfn.startExecution({ stateMachineArn: arn, name: 'INC 1/v2', input: { request: 'other' } })).toEqual({ ...started, started: false });

    const token = await local.nextAsk();
    expect(await sfn.sendTaskSuccess(token, { ok: 1 })).toBe(true);
    const execution = local.workflows.execution(started.executionArn);
    expect(await execution?.result).toMatchObject({ status: 'SUCCEEDED', output: { answer: { ok: 1 } } });
    expect(await sfn.sendTaskSuccess(token, { ok: 2 })).toBe(false);
    expect(await sfn.sendTaskFailure('unknown', 'Rejected', 'no')).toBe(false);

    const second = await sfn.startExecution({ stateMachineArn: arn, name: 'to-stop', input: { request: 'stop me' } });
    await local.nextAsk();
    expect(await sfn.stopExecution(second.executionArn, 'Superseded', 'test')).toBe(true);
    expect(await local.workflows.execution(second.executionArn)?.result).toMatchObject({ status: 'ABORTED' });
    expect(await sfn.stopExecution(`${second.executionArn}-missing`, 'x', 'y')).toBe(false);
  });

  it('an unknown state machine is an SDK error, not a silent success', async () => {
    await expect(sfn.startExecution({ stateMachineArn: localStateMachineArn('nothing'), name: 'x', input: {} })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});
