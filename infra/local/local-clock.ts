/**
 * `/local/clock`: the local runtime's business clock (`shared/clock.ts`).
 * `GET` answers `{ now, offsetMs }`; `POST { "now": ISO }` or
 * `{ "advanceMs": n }` moves it forward (never back: 409). Workflow waits
 * stay in real time, so after a jump they wake late, never early.
 * @module
 */
import { advanceClockTo, clockOffsetMs, now } from '#shared/clock.js';
import { readJson, sendJson } from './http-json.js';
import type { LocalEndpoint } from './http-server.js';

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
