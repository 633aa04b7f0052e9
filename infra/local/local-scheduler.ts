/**
 * The local stand-in for EventBridge Scheduler's one-off schedules: the
 * code's Scheduler client points here (`CreateSchedule` over HTTP), and at
 * the given time the target function is invoked in process with the input.
 * @module
 */
import { readJson, sendJson } from './http-json.js';
import type { ServiceEndpoint } from './http-server.js';

/** Local function ARNs name the handler module with `/` spelt `__`. */
export function localFunctionArn(handler: string): string {
  return `arn:aws:lambda:local:000000000000:function:${handler.replace('/', '__')}`;
}

function handlerOf(arn: string): string {
  return (arn.split(':function:')[1] ?? '').replace('__', '/');
}

/** The longest delay `setTimeout` keeps (2^31 − 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

export class LocalScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly invoke: (handler: string, input: unknown) => Promise<void>) {}

  /** Like CreateSchedule: a name may exist once. */
  create(name: string, expression: string, arn: string, input: string): 'created' | 'exists' | 'invalid' {
    const at = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(expression)?.[1];
    if (!at) return 'invalid';
    if (this.timers.has(name)) return 'exists';
    const fire = () => {
      this.timers.delete(name);
      const run = this.invoke(handlerOf(arn), JSON.parse(input))
        .catch((error: unknown) => console.error(`Schedule ${name} failed:`, (error as Error).message))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    };
    this.arm(name, Date.parse(`${at}Z`), fire);
    return 'created';
  }

  /**
   * Waits until `at`, in steps Node's timers can hold: a delay beyond
   * ~24.8 days would overflow `setTimeout` into an immediate call (a
   * continuity test scheduled a year ahead would run at once).
   */
  private arm(name: string, at: number, fire: () => void): void {
    const delay = Math.max(0, at - Date.now());
    const timer = setTimeout(() => (delay > MAX_TIMER_MS ? this.arm(name, at, fire) : fire()), Math.min(delay, MAX_TIMER_MS));
    this.timers.set(name, timer);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** `POST /local/scheduler/schedules/{name}`: the Scheduler REST call the SDK makes. */
export function localSchedulerEndpoints(scheduler: LocalScheduler): ServiceEndpoint[] {
  return [
    async (request, response) => {
      const match = /^\/local\/scheduler\/schedules\/([^/?]+)/.exec(request.url ?? '');
      if (request.method !== 'POST' || !match?.[1]) return false;
      const name = decodeURIComponent(match[1]);
      const body = await readJson(request);
      const target = body.Target as { Arn?: string; Input?: string } | undefined;
      const outcome = scheduler.create(name, String(body.ScheduleExpression ?? ''), target?.Arn ?? '', target?.Input ?? '{}');
      if (outcome === 'exists') sendJson(response, 409, { Message: `Schedule ${name} already exists` });
      else if (outcome === 'invalid') sendJson(response, 400, { Message: 'Only at(...) expressions are emulated' });
      else sendJson(response, 200, { ScheduleArn: `arn:aws:scheduler:local:000000000000:schedule/default/${name}` });
      return true;
    },
  ];
}
