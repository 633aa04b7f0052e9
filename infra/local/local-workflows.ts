/**
 * The local stand-in for Step Functions: `aws-local-stepfunctions` runs the
 * very files in `statemachines/` that CDK deploys. Placeholders
 * (`${EvaluateSlaFunctionArn}`) are substituted with local function ARNs,
 * and every `arn:aws:states:::lambda:invoke` Task is answered in process by
 * the handler module its `FunctionName` names, wrapped the way the Lambda
 * integration wraps it (`{ StatusCode, Payload }`), so `OutputPath:
 * $.Payload` and the Retry/Catch error names behave as in AWS. Waits are
 * real unless a test overrides them.
 *
 * The runner (3.0.0) needs `Promise.withResolvers` (Node 22+); on Node 20
 * a spec-equivalent shim is installed if, and only if, it is missing.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { localFunctionArn } from './local-scheduler.js';

/** The workflows the product runs: definition file and the function behind each placeholder. */
export const LOCAL_WORKFLOWS = {
  'incident-escalation': {
    file: 'statemachines/incident-escalation.asl.json',
    functions: { EvaluateSlaFunctionArn: 'sla/evaluate-sla' },
  },
} as const satisfies Record<string, { file: string; functions: Record<string, string> }>;

export type WorkflowName = keyof typeof LOCAL_WORKFLOWS;

/** A Lambda handler as a Task invokes it: payload in, payload out. */
export type LocalTaskFunction = (payload: unknown) => Promise<unknown>;

export interface LocalWorkflowOptions {
  /** Where `statemachines/` and `functions/` are. */
  readonly repoRoot: string;
  /** Replaces the handler module of a function (by its module name, e.g. `sla/evaluate-sla`): fakes in tests. */
  readonly functions?: Readonly<Record<string, LocalTaskFunction>>;
}

export interface ExecutionOptions {
  /** Milliseconds each named Wait state waits instead of its own duration (tests: 0). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Milliseconds before each retry of the named state instead of its backoff (tests: 0). */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
}

/** How an execution ended, as DescribeExecution would say, plus the states it went through. */
export interface ExecutionResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Names of the states entered, in order: their count is the billed transitions (retries are repeated entries of the task). */
  readonly states: readonly string[];
  /** Retries, one entry per retry, by state name. */
  readonly retries: readonly string[];
}

export interface LocalWorkflows {
  startExecution(name: WorkflowName, input: unknown, options?: ExecutionOptions): Promise<ExecutionResult>;
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
}

/** Creates the local runner for every workflow of {@link LOCAL_WORKFLOWS}. */
export function createLocalWorkflows(options: LocalWorkflowOptions): LocalWorkflows {
  ensurePromiseWithResolvers();
  const loaded = new Map<string, Promise<LocalTaskFunction>>();

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

  return {
    async startExecution(name, input, execution = {}) {
      const { StateMachine } = await import('aws-local-stepfunctions');
      const workflow = LOCAL_WORKFLOWS[name];
      const arns = Object.fromEntries(Object.entries(workflow.functions).map(([placeholder, module]) => [placeholder, localFunctionArn(module)]));
      const definition = JSON.parse(substitute(readFileSync(join(options.repoRoot, workflow.file), 'utf8'), arns));
      const states = definition.States as Record<string, TaskState>;
      const taskResourceLocalHandlers = Object.fromEntries(
        Object.entries(states)
          .filter(([, state]) => state.Type === 'Task' && state.Resource === 'arn:aws:states:::lambda:invoke')
          .map(([stateName]) => [
            stateName,
            async (parameters: unknown) => {
              const { FunctionName, Payload } = parameters as { FunctionName: string; Payload: unknown };
              const handler = await functionFor(FunctionName, workflow.functions);
              // A JSON round trip, as across the Lambda API: no shared objects, dates become strings.
              const result = await handler(JSON.parse(JSON.stringify(Payload ?? null)));
              return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: JSON.parse(JSON.stringify(result ?? null)) };
            },
          ]),
      );
      const machine = new StateMachine(definition);
      const run = machine.run(input as never, {
        overrides: {
          taskResourceLocalHandlers,
          ...(execution.waitTimeOverrides ? { waitTimeOverrides: { ...execution.waitTimeOverrides } } : {}),
          ...(execution.retryIntervalOverrides ? { retryIntervalOverrides: { ...execution.retryIntervalOverrides } } : {}),
        },
      });
      const entered: string[] = [];
      const retries: string[] = [];
      const logging = (async () => {
        for await (const event of run.eventLogs) {
          if (event.type === 'StateEntered') entered.push(event.state.name);
          if (event.type === 'StateRetried') retries.push(event.state.name);
        }
      })();
      try {
        const output = await run.result;
        await logging;
        return { status: 'SUCCEEDED', output, states: entered, retries };
      } catch (error) {
        await logging;
        const failure = error as { name?: string; message?: string; cause?: unknown };
        return { status: 'FAILED', ...describeFailure(failure), states: entered, retries };
      }
    },
  };
}

/** The error and cause of a failed execution (the runner wraps Fail states and uncaught task errors). */
function describeFailure(failure: { name?: string; message?: string; cause?: unknown }): { error: string; cause: string } {
  const inner = failure.cause as { name?: string; message?: string } | undefined;
  return { error: inner?.name ?? failure.name ?? 'Error', cause: inner?.message ?? failure.message ?? '' };
}
