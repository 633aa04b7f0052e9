/**
 * `/local/clock`: the local runtime's business clock (`shared/clock.ts`).
 * `GET` answers `{ now, offsetMs }`; `POST { "now": ISO }` or
 * `{ "advanceMs": n }` moves it forward (never back: 409).
 *
 * The local waits (workflow Wait states, human-task timeouts, scheduler
 * one-offs) wait on this clock through {@link atBusinessTime}: a jump wakes
 * at once every wait whose due time it passed, so a demo shows a breach and
 * its escalation without waiting for them in real time.
 * @module
 */
import { advanceClockTo, clockOffsetMs, now, onClockAdvanced } from '#shared/clock.js';
import { readJson, sendJson } from './http-json.js';
import type { LocalEndpoint } from './http-server.js';

/** The longest delay `setTimeout` keeps (2^31 − 1 ms); longer ones overflow into an immediate call. */
const MAX_TIMER_MS = 2_147_483_647;

interface BusinessWait {
  readonly dueMs: number;
  readonly fire: () => void;
  timer?: NodeJS.Timeout;
}

const waits = new Set<BusinessWait>();
let subscribed = false;

/** Fires `wait` if its time has come on the business clock, else sleeps until it would in real time (in steps a timer can hold). */
function arm(wait: BusinessWait): void {
  clearTimeout(wait.timer);
  const delay = wait.dueMs - now().getTime();
  if (delay <= 0) {
    waits.delete(wait);
    wait.fire();
    return;
  }
  wait.timer = setTimeout(() => arm(wait), Math.min(delay, MAX_TIMER_MS));
}

/**
 * Calls `fire` once the business clock reaches `dueMs` (epoch ms): when
 * real time gets there, or at once when `POST /local/clock` (or any
 * `advanceClockTo`) jumps past it. Answers the cancel.
 */
export function atBusinessTime(dueMs: number, fire: () => void): () => void {
  const wait: BusinessWait = { dueMs, fire };
  waits.add(wait);
  if (!subscribed) {
    subscribed = true;
    onClockAdvanced(() => {
      for (const pending of [...waits]) arm(pending);
    });
  }
  arm(wait);
  return () => {
    clearTimeout(wait.timer);
    waits.delete(wait);
  };
}

/** Resolves once the business clock reaches `dueMs`, or at once when `signal` aborts. */
export function sleepUntilBusinessTime(dueMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = atBusinessTime(dueMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function localClockEndpoints(): LocalEndpoint[] {
  return [
    async (request, response) => {
      if (request.url !== '/local/clock') return false;
      if (request.method === 'POST') {
        const body = await readJson<{ now?: unknown; advanceMs?: unknown }>(request);
        const target =
          typeof body.now === 'string'
            ? new Date(body.now)
            : typeof body.advanceMs === 'number'
              ? new Date(now().getTime() + body.advanceMs)
              : new Date(Number.NaN);
        if (Number.isNaN(target.getTime())) {
          sendJson(response, 400, { title: 'Send { "now": ISO-8601 } or { "advanceMs": n }' }, 'application/problem+json');
          return true;
        }
        try {
          advanceClockTo(target);
        } catch (error) {
          sendJson(response, 409, { title: (error as Error).message }, 'application/problem+json');
          return true;
        }
      }
      sendJson(response, 200, { now: now().toISOString(), offsetMs: clockOffsetMs() });
      return true;
    },
  ];
}
