/**
 * The local stand-in for Step Functions: `aws-local-stepfunctions` runs the
 * very files in `statemachines/` that CDK deploys. Placeholders
 * (`${EvaluateSlaFunctionArn}`) are substituted with local function ARNs,
 * and every `arn:aws:states:::lambda:invoke` Task is answered in process by
 * the handler module its `FunctionName` names, wrapped the way the Lambda
 * integration wraps it (`{ StatusCode, Payload }`), so `OutputPath:
 * $.Payload` and the Retry/Catch error names behave as in AWS. Waits (Wait
 * states, human-task timeouts) run on the local business clock
 * (`local-clock.ts`), so `POST /local/clock` wakes those it passes, unless
 * a test overrides them. Each definition is validated once per runner, not
 * on every start (validation was a quarter of the local stack's CPU).
 *
 * The runner (3.0.0) needs `Promise.withResolvers` (Node 22+); on Node 20
 * a spec-equivalent shim is installed if, and only if, it is missing.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { now } from '#shared/clock.js';
import { atBusinessTime, sleepUntilBusinessTime } from './local-clock.js';
import { localFunctionArn } from './local-scheduler.js';

/** The workflows the product runs: definition file and the function behind each placeholder. */
export const LOCAL_WORKFLOWS = {
  'incident-escalation': {
    file: 'statemachines/incident-escalation.asl.json',
    functions: { EvaluateSlaFunctionArn: 'sla/evaluate-sla' },
  },
  'change-approval': {
    file: 'statemachines/change-approval.asl.json',
    functions: { ChangeWorkflowTaskFunctionArn: 'changes/change-workflow-task' },
  },
  'service-request': {
    file: 'statemachines/service-request.asl.json',
    functions: { RequestWorkflowTaskFunctionArn: 'requests/request-workflow-task' },
  },
  'continuity-test': {
    file: 'statemachines/continuity-test.asl.json',
    functions: {
      RecordTestStartFunctionArn: 'continuity/record-test-start',
      RunProbeFunctionArn: 'continuity/run-probe',
      RequestConfirmationFunctionArn: 'continuity/request-confirmation',
      CompleteTestFunctionArn: 'continuity/complete-test',
      OpenActionPlanFunctionArn: 'continuity/open-action-plan',
    },
  },
} as const satisfies Record<string, WorkflowSpec>;

export type WorkflowName = keyof typeof LOCAL_WORKFLOWS;

/** A Lambda handler as a Task invokes it: payload in, payload out. */
export type LocalTaskFunction = (payload: unknown) => Promise<unknown>;

export interface LocalWorkflowOptions {
  /** Where `statemachines/` and `functions/` are. */
  readonly repoRoot: string;
  /** Replaces the handler module of a function (by its module name, e.g. `sla/evaluate-sla`): fakes in tests. */
  readonly functions?: Readonly<Record<string, LocalTaskFunction>>;
  /** Options applied to every execution this runner starts (the local stack's executions, which no test starts directly). */
  readonly defaults?: ExecutionOptions;
  /** The workflows it can run. @default LOCAL_WORKFLOWS */
  readonly registry?: Readonly<Record<string, WorkflowSpec>>;
}

/** A workflow the local runner can run. */
export interface WorkflowSpec {
  /** The ASL file, relative to the repository root. */
  readonly file: string;
  /** `${Placeholder}` → the handler module (under `functions/`) whose local ARN replaces it. */
  readonly functions: Readonly<Record<string, string>>;
}

export interface ExecutionOptions {
  /** Milliseconds each named Wait state waits instead of its own duration (tests: 0). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds before each retry of the named state instead of its backoff (tests: 0). */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** Milliseconds the named `.waitForTaskToken` Task waits for its token instead of its `TimeoutSeconds`. */
  readonly taskTimeoutOverrides?: Readonly<Record<string, number>>;
  /** The execution name (unique per workflow); a generated one when absent. */
  readonly name?: string;
}

/** How an execution ended, as DescribeExecution would say, plus the states it went through. */
export interface ExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Names of the states entered, in order: their count is the billed transitions (retries are repeated entries of the task). */
  readonly states: readonly string[];
  /** Retries, one entry per retry, by state name. */
  readonly retries: readonly string[];
}

/** A started execution. */
export interface LocalExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: unknown;
  readonly startDate: Date;
  /** Settles when the execution ends (never rejects). */
  readonly result: Promise<ExecutionResult>;
  /** The outcome once ended. */
  readonly ended: ExecutionResult | undefined;
  readonly stopDate: Date | undefined;
  /** The state it is in (the last one entered); not a DescribeExecution field, a window for developers and tests. */
  readonly currentState: string | undefined;
}

/** Why a task token could not be used, with the Step Functions error name. */
export type TaskTokenRefusal = 'TaskDoesNotExist' | 'TaskTimedOut';

export interface LocalWorkflows {
  /** The workflows it runs, by name. */
  readonly registry: Readonly<Record<string, WorkflowSpec>>;
  /** Runs an execution to its end (tests). */
  startExecution(name: WorkflowName | (string & {}), input: unknown, options?: ExecutionOptions): Promise<ExecutionResult>;
  /**
   * Starts an execution in the background, as StartExecution does. A name
   * already used answers that execution when it is still running with the
   * same input (StartExecution is idempotent so), `ExecutionAlreadyExists` otherwise.
   */
  start(name: WorkflowName | (string & {}), input: unknown, options?: ExecutionOptions): LocalExecution | 'ExecutionAlreadyExists';
  /** The execution by ARN, running or ended. */
  execution(executionArn: string): LocalExecution | undefined;
  /** Executions still running. */
  running(): LocalExecution[];
  /** Every execution, oldest first. */
  executions(): LocalExecution[];
  /** Aborts a running execution (StopExecution); false when there is no such execution. */
  stop(executionArn: string, error?: string, cause?: string): boolean;
  /** Completes the task waiting on `token` with `output`. */
  sendTaskSuccess(token: string, output: unknown): true | TaskTokenRefusal;
  /** Fails the task waiting on `token`: its Retry and Catch see `error`. */
  sendTaskFailure(token: string, error: string, cause: string): true | TaskTokenRefusal;
  /** Aborts every running execution (the stack stopping). */
  stopAll(): void;
}

/** The local ARN of a workflow's state machine (the local stack puts it in `stateMachineArnVariable(name)`). */
export function localStateMachineArn(name: string): string {
  return `arn:aws:states:us-east-1:000000000000:stateMachine:itsm-local-${name}`;
}

/** The workflow of a local state machine ARN. */
export function workflowOfArn(arn: string, registry: Readonly<Record<string, WorkflowSpec>> = LOCAL_WORKFLOWS): string | undefined {
  return Object.keys(registry).find((name) => localStateMachineArn(name) === arn);
}

/** Installs `Promise.withResolvers` (ES2024) when the runtime lacks it, as on Node 20. */
export function ensurePromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const created = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise: created, resolve, reject };
    },
  });
}

/** The definition with its `${Name}` placeholders replaced, as CDK's `definitionSubstitutions` would. */
export function substitute(definition: string, values: Readonly<Record<string, string>>): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) => values[name] ?? match);
}

interface TaskState {
  readonly Type: string;
  readonly Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/**
 * What the runner is told a waiting Task's timeout is: the longest
 * `setTimeout` Node can keep (about 24.8 days; longer overflows into 1 ms).
 * Its own default is 60 s, where Step Functions waits a year; the real
 * timeout of a waiting Task is kept by this module instead.
 */
const RUNNER_WAIT_TIMEOUT_SECONDS = 2_147_483;

/** An error the runner's Retry and Catch match by name, as they match Step Functions errors. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface PendingTask {
  readonly executionArn: string;
  claimed: boolean;
  state: 'open' | 'done' | 'timed_out';
  settle?: (outcome: { ok: true; output: unknown } | { ok: false; error: Error }) => void;
  early?: { ok: true; output: unknown } | { ok: false; error: Error };
}

interface ExecutionRecord extends LocalExecution {
  ended: ExecutionResult | undefined;
  stopDate: Date | undefined;
  currentState: string | undefined;
  abort(): void;
  stoppedWith?: { error: string; cause: string };
}

/** Creates the local runner for every workflow of {@link LOCAL_WORKFLOWS}. */
export function createLocalWorkflows(options: LocalWorkflowOptions): LocalWorkflows {
  ensurePromiseWithResolvers();
  const loaded = new Map<string, Promise<LocalTaskFunction>>();
  const executions = new Map<string, ExecutionRecord>();
  const tasks = new Map<string, PendingTask>();
  const machine = import('aws-local-stepfunctions');

  /** The handler module of a local function ARN, loaded once (the `handler` export, as Lambda would). */
  function functionFor(arn: string, modules: Readonly<Record<string, string>>): Promise<LocalTaskFunction> {
    const module = Object.values(modules).find((name) => localFunctionArn(name) === arn);
    if (!module) throw new Error(`No local function for ${arn}`);
    const fake = options.functions?.[module];
    if (fake) return Promise.resolve(fake);
    let handler = loaded.get(module);
    if (!handler) {
      const url = pathToFileURL(join(options.repoRoot, 'functions', `${module}.ts`)).href;
      handler = import(/* @vite-ignore */ url).then((imported: { handler: LocalTaskFunction }) => imported.handler);
      loaded.set(module, handler);
    }
    return handler;
  }

  /** Invokes a function as the Lambda integration does: a JSON round trip, no shared objects, dates become strings. */
  async function invoke(parameters: unknown, modules: Readonly<Record<string, string>>): Promise<unknown> {
    const { FunctionName, Payload } = parameters as { FunctionName: string; Payload: unknown };
    const handler = await functionFor(FunctionName, modules);
    return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(Payload ?? null)))) ?? null));
  }

  /**
   * The token this execution issued (through `$$.Task.Token`) that
   * `parameters` carry, claimed for this task, and the parameters to invoke
   * with. The runner spreads the context once per execution, so every later
   * human task reads the same token: a token already claimed is replaced by
   * a fresh one in the parameters, as Step Functions issues one per task.
   */
  function claimToken(executionArn: string, parameters: unknown): { token: string; parameters: unknown } | undefined {
    const text = JSON.stringify(parameters);
    for (const [token, task] of tasks) {
      if (task.executionArn !== executionArn || !text.includes(token)) continue;
      if (!task.claimed) {
        task.claimed = true;
        return { token, parameters };
      }
      const fresh = `local-task-${randomUUID()}`;
      tasks.set(fresh, { executionArn, claimed: true, state: 'open' });
      return { token: fresh, parameters: JSON.parse(text.split(token).join(fresh)) };
    }
    return undefined;
  }

  /** Waits for SendTaskSuccess/Failure on `token`, or fails with `States.Timeout` after `timeoutMs`. */
  function awaitToken(token: string, timeoutMs: number | undefined): Promise<unknown> {
    const task = tasks.get(token);
    // The execution ended (stopped, failed) while the task's function ran: nothing waits any more.
    if (!task) return Promise.reject(namedError('States.Runtime', 'The execution ended while the task started.'));
    return new Promise((resolve, reject) => {
      // On the business clock: a jump past the timeout times the task out at once, as waiting that long would.
      const cancel =
        timeoutMs === undefined
          ? () => undefined
          : atBusinessTime(now().getTime() + timeoutMs, () => {
              task.state = 'timed_out';
              reject(namedError('States.Timeout', 'The task was not completed within its TimeoutSeconds.'));
            });
      task.settle = (outcome) => {
        cancel();
        if (outcome.ok) resolve(outcome.output);
        else reject(outcome.error);
      };
      if (task.early) task.settle(task.early);
    });
  }

  /** Settles the task on `token`, or says why it cannot. */
  function settleTask(token: string, outcome: { ok: true; output: unknown } | { ok: false; error: Error }): true | TaskTokenRefusal {
    const task = tasks.get(token);
    if (!task || task.state === 'done') return 'TaskDoesNotExist';
    if (task.state === 'timed_out') return 'TaskTimedOut';
    const execution = executions.get(task.executionArn);
    if (execution?.ended) return 'TaskDoesNotExist';
    task.state = 'done';
    // The function may complete its own task before the runner starts waiting (a fast approver): keep the outcome.
    if (task.settle) task.settle(outcome);
    else task.early = outcome;
    return true;
  }

  const registry: Readonly<Record<string, WorkflowSpec>> = options.registry ?? LOCAL_WORKFLOWS;
  /** Each workflow's definition with its placeholders replaced, read and validated once (the runner validates on every construction otherwise). */
  const definitions = new Map<string, Promise<string>>();

  /** The promise is kept, not the text: executions started together wait for one validation instead of each running its own. */
  function definitionOf(name: string, workflow: WorkflowSpec): Promise<string> {
    let text = definitions.get(name);
    if (text === undefined) {
      const arns = Object.fromEntries(Object.entries(workflow.functions).map(([placeholder, module]) => [placeholder, localFunctionArn(module)]));
      const substituted = substitute(readFileSync(join(options.repoRoot, workflow.file), 'utf8'), arns);
      text = machine.then(({ StateMachine }) => {
        // Throws on an invalid definition, as CreateStateMachine would refuse it.
        new StateMachine(JSON.parse(substituted));
        return substituted;
      });
      definitions.set(name, text);
    }
    return text;
  }

  function start(name: string, input: unknown, execution: ExecutionOptions = {}): ExecutionRecord | 'ExecutionAlreadyExists' {
    const settings = { ...options.defaults, ...execution };
    const workflow = registry[name];
    if (!workflow) throw new Error(`No local workflow ${name}`);
    const stateMachineArn = localStateMachineArn(name);
    const executionName = settings.name ?? randomUUID();
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    const existing = executions.get(executionArn);
    if (existing) return !existing.ended && JSON.stringify(existing.input) === JSON.stringify(input) ? existing : 'ExecutionAlreadyExists';

    const handlers: Record<string, (parameters: unknown) => Promise<unknown>> = {};
    const timeouts: Record<string, number | undefined> = {};
    const waits = new Set<string>();
    const stopWaiting = new AbortController();
    /** Fits the definition (a fresh copy per execution: it is edited) to the local runner. */
    const prepare = (definition: { States: Record<string, TaskState> }) =>
      collectStates(definition.States, (stateName, state) => {
        if (state.Type === 'Wait' && settings.waitTimeOverrides?.[stateName] === undefined) {
          waits.add(stateName);
          handlers[stateName] = (parameters) => waitOnBusinessClock(parameters as WaitParameters, `${executionArn}/${stateName}`, stopWaiting.signal);
          waitAsTask(state as WaitState);
        } else if (state.Type === 'Task') prepareTask(stateName, state);
      });
    const prepareTask = (stateName: string, state: TaskState) => {
      if (state.Resource === LAMBDA_INVOKE) {
        handlers[stateName] = async (parameters) => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: await invoke(parameters, workflow.functions) });
      } else if (state.Resource === LAMBDA_INVOKE_WAIT) {
        const override = settings.taskTimeoutOverrides?.[stateName];
        timeouts[stateName] = override ?? (state.TimeoutSeconds ? state.TimeoutSeconds * 1000 : undefined);
        if (state.TimeoutSecondsPath) carryTimeoutPath(state);
        else state.TimeoutSeconds = RUNNER_WAIT_TIMEOUT_SECONDS;
        handlers[stateName] = async (parameters) => {
          const claimed = claimToken(executionArn, parameters);
          if (!claimed) throw namedError('States.Runtime', `${stateName} waits for a task token but does not pass $$.Task.Token to its function.`);
          // The function's own answer is ignored: the task's output is what SendTaskSuccess sends.
          await invoke(claimed.parameters, workflow.functions);
          // A timeout read by path (the policy's hours, an item's days) is kept on the business clock too, as a fixed one is.
          const carried = (claimed.parameters as Record<string, unknown>)[TIMEOUT_PARAMETER];
          return awaitToken(claimed.token, timeouts[stateName] ?? (typeof carried === 'number' ? carried * 1000 : undefined));
        };
      }
    };

    const startDate = new Date();
    const context = {
      Execution: {
        Id: executionArn,
        Input: input,
        Name: executionName,
        StartTime: startDate.toISOString(),
        RoleArn: 'arn:aws:iam::000000000000:role/itsm-local-workflows',
      },
      StateMachine: { Id: stateMachineArn, Name: `itsm-local-${name}` },
      // Each read of `$$.Task.Token` issues a token of this execution; the waiting Task claims the one its Parameters carry.
      get Task() {
        const token = `local-task-${randomUUID()}`;
        tasks.set(token, { executionArn, claimed: false, state: 'open' });
        return { Token: token };
      },
    };

    let abort: () => void = () => undefined;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name: executionName,
      input,
      startDate,
      ended: undefined,
      stopDate: undefined,
      currentState: undefined,
      abort: () => abort(),
      result: machine.then(async ({ StateMachine }) => {
        const definition = JSON.parse(await definitionOf(name, workflow));
        prepare(definition);
        const run = new StateMachine(definition, { validationOptions: { noValidate: true } }).run(input as never, {
          context: context as never,
          overrides: {
            taskResourceLocalHandlers: handlers as never,
            ...(settings.waitTimeOverrides ? { waitTimeOverrides: { ...settings.waitTimeOverrides } } : {}),
            ...(settings.retryIntervalOverrides ? { retryIntervalOverrides: { ...settings.retryIntervalOverrides } } : {}),
          },
        });
        abort = run.abort;
        if (record.stoppedWith) run.abort();
        const entered: string[] = [];
        const retries: string[] = [];
        const logging = (async () => {
          for await (const event of run.eventLogs) {
            if (event.type === 'StateEntered') {
              entered.push(event.state.name);
              record.currentState = event.state.name;
            }
            // A Wait longer than a runner timeout goes on waiting through a retry: not a retry Step Functions would bill.
            if (event.type === 'StateRetried' && !waits.has(event.state.name)) retries.push(event.state.name);
          }
        })();
        let ended: ExecutionResult;
        try {
          const output = await run.result;
          await logging;
          ended = { status: 'SUCCEEDED', output, states: entered, retries };
        } catch (error) {
          await logging.catch(() => undefined);
          ended = record.stoppedWith
            ? { status: 'ABORTED', ...record.stoppedWith, states: entered, retries }
            : { status: 'FAILED', ...describeFailure(error as { name?: string; message?: string; cause?: unknown }), states: entered, retries };
        }
        record.ended = ended;
        record.stopDate = new Date();
        stopWaiting.abort();
        for (const [token, task] of tasks) {
          if (task.executionArn !== executionArn) continue;
          // A task still waiting (the execution was stopped) lets go, so its timers are cleared and nothing keeps the process alive.
          if (task.state === 'open') task.settle?.({ ok: false, error: namedError('States.Runtime', 'The execution ended.') });
          tasks.delete(token);
        }
        return ended;
      }),
    };
    executions.set(executionArn, record);
    return record;
  }

  return {
    registry,
    start,
    async startExecution(name, input, execution = {}) {
      const started = start(name, input, execution);
      if (started === 'ExecutionAlreadyExists') throw new Error(`An execution named ${execution.name} exists`);
      return started.result;
    },
    execution: (executionArn) => executions.get(executionArn),
    running: () => [...executions.values()].filter((execution) => !execution.ended),
    executions: () => [...executions.values()],
    stop(executionArn, error = '', cause = '') {
      const execution = executions.get(executionArn);
      if (!execution) return false;
      if (!execution.ended && !execution.stoppedWith) {
        execution.stoppedWith = { error, cause };
        execution.abort();
      }
      return true;
    },
    sendTaskSuccess: (token, output) => settleTask(token, { ok: true, output }),
    sendTaskFailure: (token, error, cause) => settleTask(token, { ok: false, error: namedError(error, cause) }),
    stopAll() {
      for (const execution of executions.values()) if (!execution.ended) this.stop(execution.executionArn, 'LocalStackStopped', 'The local stack stopped.');
    },
  };
}

/** The Parameters field that carries a Task's timeout into the runner (see {@link carryTimeoutPath}). */
const TIMEOUT_PARAMETER = '__timeoutSeconds';

/**
 * Step Functions reads `TimeoutSecondsPath` from the state input; the
 * runner reads it from the effective parameters. The timeout is copied
 * into the parameters under {@link TIMEOUT_PARAMETER} and the path pointed
 * there, so the definition keeps AWS's meaning; the runner then enforces it
 * (States.Timeout), and the function still receives only its `Payload`.
 */
function carryTimeoutPath(state: TaskState & { Parameters?: Record<string, unknown> }): void {
  const path = state.TimeoutSecondsPath as string;
  state.Parameters = { ...state.Parameters, [`${TIMEOUT_PARAMETER}.$`]: path };
  state.TimeoutSecondsPath = `$.${TIMEOUT_PARAMETER}`;
}

/** Calls `visit` for every state, including those inside Map and Parallel states. */
function collectStates(
  states: Record<
    string,
    TaskState & {
      ItemProcessor?: { States: Record<string, TaskState> };
      Iterator?: { States: Record<string, TaskState> };
      Branches?: { States: Record<string, TaskState> }[];
    }
  >,
  visit: (name: string, state: TaskState) => void,
): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter((inner) => inner !== undefined);
    for (const inner of nested) collectStates(inner.States as never, visit);
  }
}

interface WaitState extends TaskState {
  Seconds?: number;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
  Parameters?: Record<string, unknown>;
  Retry?: unknown[];
}

/** What a Wait state turned Task hands its local handler: its input and its duration or due time. */
interface WaitParameters {
  readonly input: unknown;
  readonly seconds?: number;
  readonly timestamp?: string;
}

/** Thrown by a wait longer than the runner lets a Task run; its Retry (no interval) goes on waiting. */
const STILL_WAITING = 'Local.StillWaiting';
/** A slice of a long wait, well inside {@link RUNNER_WAIT_TIMEOUT_SECONDS}. */
const WAIT_SLICE_MS = 20 * 86_400_000;

/**
 * The runner's Wait state sleeps in real time; the local runtime waits on
 * the business clock. So a Wait becomes a Task, local to this runner, with
 * the same name, InputPath, OutputPath and transitions: its Parameters
 * carry the input and the duration or due time (the runner resolves the
 * paths, as the Wait would), its handler waits on the business clock and
 * answers the input unchanged, as a Wait does.
 */
function waitAsTask(state: WaitState): void {
  const { Seconds, Timestamp, SecondsPath, TimestampPath } = state;
  state.Parameters = {
    'input.$': '$',
    ...(Seconds !== undefined ? { seconds: Seconds } : {}),
    ...(Timestamp !== undefined ? { timestamp: Timestamp } : {}),
    ...(SecondsPath !== undefined ? { 'seconds.$': SecondsPath } : {}),
    ...(TimestampPath !== undefined ? { 'timestamp.$': TimestampPath } : {}),
  };
  for (const field of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'] as const) delete state[field];
  Object.assign(state, {
    Type: 'Task',
    Resource: 'arn:aws:states:::local:wait',
    TimeoutSeconds: RUNNER_WAIT_TIMEOUT_SECONDS,
    Retry: [{ ErrorEquals: [STILL_WAITING], IntervalSeconds: 0, MaxAttempts: 1_000_000, BackoffRate: 1 }],
  });
}

/** Due times of the waits in progress, by execution and state, so a long wait resumed by its retry keeps its due time. */
const dueTimes = new Map<string, number>();

async function waitOnBusinessClock(parameters: WaitParameters, key: string, signal: AbortSignal): Promise<unknown> {
  const due = dueTimes.get(key) ?? (parameters.timestamp !== undefined ? Date.parse(parameters.timestamp) : now().getTime() + (parameters.seconds ?? 0) * 1000);
  if (Number.isNaN(due)) throw namedError('States.Runtime', `The Wait's timestamp is not a timestamp: ${parameters.timestamp}`);
  if (due - now().getTime() > WAIT_SLICE_MS && !signal.aborted) {
    dueTimes.set(key, due);
    await sleepUntilBusinessTime(now().getTime() + WAIT_SLICE_MS, signal);
    if (!signal.aborted) throw namedError(STILL_WAITING, 'The wait goes on.');
  }
  await sleepUntilBusinessTime(due, signal);
  dueTimes.delete(key);
  return parameters.input;
}

/** The error and cause of a failed execution (the runner wraps Fail states and uncaught task errors). */
function describeFailure(failure: { name?: string; message?: string; cause?: unknown }): { error: string; cause: string } {
  const inner = failure.cause as { name?: string; message?: string } | undefined;
  return { error: inner?.name ?? failure.name ?? 'Error', cause: inner?.message ?? failure.message ?? '' };
}
