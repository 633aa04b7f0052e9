/**
 * The local stand-in for EventBridge Scheduler's one-off schedules: the
 * code's Scheduler client points here (`CreateSchedule`, `DeleteSchedule`,
 * `ListSchedules` over HTTP), and at the given time on the local business
 * clock (`local-clock.ts`; a clock jump past it fires it at once) the target
 * is invoked in process with the input: a function, or a state machine (an
 * execution starts, as the scheduler's Step Functions target does). As with
 * `ActionAfterCompletion: DELETE`, a schedule is gone once it has fired.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { readJson, sendJson } from './http-json.js';
import type { ServiceEndpoint } from './http-server.js';
import { atBusinessTime } from './local-clock.js';

/** Local function ARNs name the handler module with `/` spelt `__`. */
export function localFunctionArn(handler: string): string {
  return `arn:aws:lambda:local:000000000000:function:${handler.replace('/', '__')}`;
}

function handlerOf(arn: string): string {
  return (arn.split(':function:')[1] ?? '').replace('__', '/');
}

export class LocalScheduler {
  private readonly timers = new Map<string, () => void>();
  private readonly running = new Set<Promise<void>>();

  /**
   * @param invoke runs a function target (by handler module)
   * @param startExecution starts an execution of a state machine target (by ARN)
   */
  constructor(
    private readonly invoke: (handler: string, input: unknown) => Promise<void>,
    private readonly startExecution?: (stateMachineArn: string, input: unknown) => Promise<void>,
  ) {}

  /** Like CreateSchedule: a name may exist once. */
  create(name: string, expression: string, arn: string, input: string): 'created' | 'exists' | 'invalid' {
    const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(expression)?.[1];
    if (!at) return 'invalid';
    if (this.timers.has(name)) return 'exists';
    const fire = () => {
      this.timers.delete(name);
      const payload = JSON.parse(input);
      const target = arn.includes(':stateMachine:') && this.startExecution ? this.startExecution(arn, payload) : this.invoke(handlerOf(arn), payload);
      const run = target.catch((error: unknown) => console.error(`Schedule ${name} failed:`, (error as Error).message)).finally(() => this.running.delete(run));
      this.running.add(run);
    };
    // Set before arming: a time already passed fires (and deletes the entry) at once.
    this.timers.set(name, () => undefined);
    const cancel = atBusinessTime(Date.parse(`${at}Z`), fire);
    if (this.timers.has(name)) this.timers.set(name, cancel);
    return 'created';
  }

  /** Like DeleteSchedule: false when there is no such schedule (it fired, or never was). */
  delete(name: string): boolean {
    const cancel = this.timers.get(name);
    if (!cancel) return false;
    cancel();
    this.timers.delete(name);
    return true;
  }

  /** Like ListSchedules with a `NamePrefix`: the schedules not yet fired. */
  names(prefix = ''): string[] {
    return [...this.timers.keys()].filter((name) => name.startsWith(prefix));
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}

/** An error answer the SDK turns into the same exception class as in AWS (REST JSON reads the type header). */
function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ Message: message }));
}

/**
 * The Scheduler REST calls the SDK makes: `POST /local/scheduler/schedules/{name}`
 * (CreateSchedule), `DELETE …/schedules/{name}` (DeleteSchedule), `GET …/schedules?NamePrefix=`
 * (ListSchedules). Names are unique across groups here; the product uses one group.
 */
export function localSchedulerEndpoints(scheduler: LocalScheduler): ServiceEndpoint[] {
  return [
    async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://local');
      if (request.method === 'GET' && url.pathname === '/local/scheduler/schedules') {
        const names = scheduler.names(url.searchParams.get('NamePrefix') ?? '');
        sendJson(response, 200, {
          Schedules: names.map((name) => ({ Name: name, GroupName: url.searchParams.get('ScheduleGroup') ?? 'default', State: 'ENABLED' })),
        });
        return true;
      }
      const match = /^\/local\/scheduler\/schedules\/([^/?]+)$/.exec(url.pathname);
      if (!match?.[1]) return false;
      const name = decodeURIComponent(match[1]);
      if (request.method === 'DELETE') {
        if (scheduler.delete(name)) sendJson(response, 200, {});
        else sendError(response, 404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        return true;
      }
      if (request.method !== 'POST') return false;
      const body = await readJson(request);
      const target = body.Target as { Arn?: string; Input?: string } | undefined;
      const outcome = scheduler.create(name, String(body.ScheduleExpression ?? ''), target?.Arn ?? '', target?.Input ?? '{}');
      if (outcome === 'exists') sendError(response, 409, 'ConflictException', `Schedule ${name} already exists`);
      else if (outcome === 'invalid') sendError(response, 400, 'ValidationException', 'Only at(...) expressions are emulated');
      else sendJson(response, 200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/default/${name}` });
      return true;
    },
  ];
}
