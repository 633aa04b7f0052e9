/**
 * The local stand-in for the `itsm` EventBridge bus. The publisher reaches
 * it through the real EventBridge client (PutEvents over HTTP, see
 * `localEventBusEndpoints`); it evaluates the same rules as the CDK stack
 * with the same pattern matcher, invokes function targets with retries,
 * appends every event to an NDJSON log and streams events to watchers.
 * @module
 */

import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchesEventPattern } from '#shared/events/event-pattern.js';
import type { EventRuleSpec } from '#shared/events/rules.js';
import { readJson, sendJson } from './http-json.js';
import type { LocalEndpoint, ServiceEndpoint } from './http-server.js';

/** An event as EventBridge delivers it to targets. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

/** A PutEvents entry as the SDK sends it (JSON protocol). */
interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Time?: number | string;
  Resources?: string[];
  EventBusName?: string;
}

type Target = (event: BusEvent) => Promise<unknown>;

export interface LocalEventBusOptions {
  readonly busName: string;
  readonly rules: readonly EventRuleSpec[];
  /** Every event (and every dead letter) is appended here as one JSON line. */
  readonly logFile: string;
  /** Loads a function target (`functions/<handler>.ts`). */
  readonly loadHandler: (handler: string) => Promise<Target>;
  /** Attempts per target before the event is dead-lettered. @default 3 */
  readonly targetAttempts?: number;
}

export class LocalEventBus {
  /** Every event accepted so far, in order. */
  readonly events: BusEvent[] = [];
  private readonly watchers = new Set<(event: BusEvent) => void>();
  private readonly targets = new Map<string, Promise<Target>>();
  private readonly pending = new Set<Promise<void>>();
  private failuresToInject = 0;

  constructor(private readonly options: LocalEventBusOptions) {
    mkdirSync(dirname(options.logFile), { recursive: true });
  }

  /** PutEvents semantics: per-entry results in request order, failures marked with an ErrorCode. */
  putEvents(entries: readonly PutEventsEntry[]): { FailedEntryCount: number; Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[] } {
    const results = entries.map((entry) => {
      if (entry.EventBusName !== this.options.busName) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `No bus ${entry.EventBusName}` };
      if (!entry.Source || !entry.DetailType || !entry.Detail)
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
      // A test can make the bus refuse entries, to prove the publisher loses nothing.
      if (this.failuresToInject > 0) {
        this.failuresToInject -= 1;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure' };
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : (entry.Time ?? Date.now())).toISOString(),
        region: 'local',
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail) as Record<string, unknown>,
      };
      this.accept(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** How many injected failures are still to come. */
  get failuresPending(): number {
    return this.failuresToInject;
  }

  /** Makes the next `count` entries fail, as EventBridge occasionally does. */
  injectFailures(count: number): void {
    this.failuresToInject = count;
  }

  /** Calls `watcher` for every later event; returns the unsubscribe function. */
  watch(watcher: (event: BusEvent) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Waits until every target invocation started so far has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private accept(event: BusEvent): void {
    const matched = this.options.rules.filter((rule) => matchesEventPattern(rule.pattern, event));
    this.events.push(event);
    this.log({ event, matchedRules: matched.map((rule) => rule.name) });
    for (const watcher of this.watchers) watcher(event);
    for (const rule of matched) {
      const target = rule.target;
      if (!('handler' in target)) continue; // other target kinds exist only in AWS; the match is logged
      const delivery = this.deliver(rule.name, target.handler, event).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  private async deliver(rule: string, handler: string, event: BusEvent): Promise<void> {
    let target = this.targets.get(handler);
    if (!target) {
      target = this.options.loadHandler(handler);
      this.targets.set(handler, target);
    }
    const attempts = this.options.targetAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await (await target)(event);
        return;
      } catch (error) {
        if (attempt === attempts) {
          this.log({ deadLetter: { rule, handler, eventId: event.id, error: (error as Error).message } });
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  private log(line: unknown): void {
    appendFileSync(this.options.logFile, `${JSON.stringify(line)}\n`);
  }
}

/** `POST /local/eventbridge`: the EventBridge JSON protocol (`AWSEvents.PutEvents`), the outbox publisher's endpoint. */
export function localEventBusServiceEndpoints(bus: LocalEventBus): ServiceEndpoint[] {
  return [
    async (request, response) => {
      if (request.method !== 'POST' || !request.url?.startsWith('/local/eventbridge')) return false;
      if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        sendJson(response, 400, { __type: 'UnknownOperationException', message: 'Only PutEvents is emulated' }, 'application/x-amz-json-1.1');
        return true;
      }
      const body = await readJson<{ Entries?: PutEventsEntry[] }>(request);
      sendJson(response, 200, bus.putEvents(body.Entries ?? []), 'application/x-amz-json-1.1');
      return true;
    },
  ];
}

/**
 * The developer's view of the local bus (a dev token; the caller's tenant only):
 * - `GET /local/events`: server-sent events, one per bus event, to watch the bus live;
 * - `GET /local/events.json`: the events so far (`?detailType=` narrows it);
 * - `POST /local/event-bus/faults`: `{ "failEntries": n }` makes the next n entries fail (`GET`: how many are left).
 */
export function localEventBusEndpoints(bus: LocalEventBus): LocalEndpoint[] {
  const ofTenant = (event: BusEvent, tenantId: string) => event.detail.tenantId === tenantId;
  return [
    async (request, response) => {
      if (request.url !== '/local/event-bus/faults') return false;
      if (request.method === 'POST') bus.injectFailures((await readJson<{ failEntries?: number }>(request)).failEntries ?? 0);
      sendJson(response, 200, { failEntries: bus.failuresPending });
      return true;
    },
    (request, response, caller) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method !== 'GET' || url.pathname !== '/local/events.json') return false;
      const detailType = url.searchParams.get('detailType');
      const items = bus.events.filter((event) => ofTenant(event, caller.tenantId) && (!detailType || event['detail-type'] === detailType));
      sendJson(response, 200, { items });
      return true;
    },
    (request, response, caller) => {
      if (request.method !== 'GET' || request.url !== '/local/events') return false;
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      response.write(`: watching the itsm bus for tenant ${caller.tenantId}\n\n`);
      const stop = bus.watch((event) => {
        if (ofTenant(event, caller.tenantId)) response.write(`id: ${event.id}\nevent: ${event['detail-type']}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), 15_000);
      request.on('close', () => {
        clearInterval(heartbeat);
        stop();
      });
      return true;
    },
  ];
}
