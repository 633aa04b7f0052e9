/**
 * An in-memory request world for running the service request workflow
 * with the local runner: the real ASL, the real task function
 * (`createRequestWorkflowTask`) and domain rules over a request store with
 * optimistic concurrency that records every event the commits would
 * publish. People act through the same domain rules the API handlers call;
 * their decisions reach the waiting step as the advancer hands them over
 * (`requestWorkflowCommand` → SendTaskSuccess). Waits of days (the
 * auto-close, the callback's due time and window) run on the business clock
 * (`#shared/clock.js`, as under `npm start`): `advance` moves it, which
 * wakes the waits it passes, and the steps then find their due time passed.
 * Used by the path tests and the transitions benchmark.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { advanceClockTo, now as clock } from '#shared/clock.js';
import { ConflictError } from '#shared/domain/errors.js';
import { type CatalogueItem, createItem, type ItemVersion, itemDefinitionSchema, publishItem } from '#shared/domain/requests/catalogue-item.js';
import { REQUEST_WORKFLOW, requestWorkflowCommand, type StoredWait } from '#shared/domain/requests/request-workflow.js';
import {
  completeTask,
  confirmRequest,
  failTask,
  type RequestContext,
  type RequestEventType,
  type RequestMutation,
  recordCallback,
  type ServiceRequest,
  submitRequest,
  voteOnRequest,
} from '#shared/domain/requests/service-request.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';
import { createRequestWorkflowTask } from '../../functions/requests/request-workflow-task.js';
import { createLocalWorkflows, type ExecutionOptions } from '../../infra/local/local-workflows.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TENANT = 'acme';
const actor = (userId: string, roles: Role[]): Actor => ({ tenantId: TENANT, userId, roles });
export const requester = actor('rita', ['requester']);
export const agent = actor('alex', ['agent']);
export const manager = actor('morgan', ['manager']);
export const approvers = ['ann', 'ben'].map((id) => actor(id, ['requester']));

/** Tests never wait for a backoff; the waits in days (auto-close, callback) run on the business clock, which `advance` moves. */
export const FAST: ExecutionOptions = { retryIntervalOverrides: { ApprovalTimedOut: 0, AutoClose: 0 } };

const DAY = 86_400_000;

/** Definitions by name: one stage of one task, or two stages (two parallel tasks, then one). */
export const PLANS = {
  one: { stages: [{ name: 'Reset', tasks: [{ key: 'reset', name: 'Reset the password', group: 'service-desk', targetHours: 1 }] }] },
  two: {
    stages: [
      {
        name: 'Provision',
        tasks: [
          { key: 'accounts', name: 'Accounts', group: 'service-desk', targetHours: 4 },
          { key: 'laptop', name: 'Laptop', group: 'regional-ops', targetHours: 8 },
        ],
      },
      { name: 'Hand over', tasks: [{ key: 'handover', name: 'Hand over', group: 'regional-ops', targetHours: 2 }] },
    ],
  },
} as const;

/** An approval by the named group of two (one of them decides), expiring after `timeoutHours`; or none. */
export function groupApproval(onTimeout: 'expire' | 'escalate' = 'expire') {
  return { kind: 'group', group: 'budget-holders', members: approvers.map((one) => one.userId), required: 1, timeoutHours: 8, onTimeout };
}

export function createWorld() {
  const requests = new Map<string, ServiceRequest>();
  const waits = new Map<string, StoredWait>();
  const events: { requestId: string; type: RequestEventType; actorId: string; facts: Readonly<Record<string, unknown>> }[] = [];
  const workflows = createLocalWorkflows({
    repoRoot: REPO_ROOT,
    functions: { 'requests/request-workflow-task': (payload) => task(payload as never) },
  });
  function commit(mutation: RequestMutation, by: Actor, expectedVersion: number | null) {
    const current = requests.get(mutation.request.id);
    if (expectedVersion !== null && current?.version !== expectedVersion) throw new ConflictError('changed concurrently');
    requests.set(mutation.request.id, mutation.request);
    for (const type of [mutation.eventType, ...mutation.following.map((next) => next.eventType)]) {
      events.push({ requestId: mutation.request.id, type, actorId: by.userId, facts: mutation.facts });
      advance(type, mutation.request);
    }
  }
  /** The advancer: a committed event hands the outcome of a decision to the waiting step. */
  function advance(type: RequestEventType, request: ServiceRequest) {
    const command = requestWorkflowCommand(type, request, waits.get(request.id) ?? null);
    if (command.kind === 'complete') workflows.sendTaskSuccess(command.token, command.output);
  }
  const task = createRequestWorkflowTask({
    getRequest: async (_tenant, id) => requests.get(id) ?? null,
    saveRequest: async (mutation, by, expectedVersion) => commit(mutation, by, expectedVersion),
    getWorkflowWait: async (_tenant, id) => waits.get(id) ?? null,
    putWorkflowWait: async (_tenant, id, stored) => {
      waits.set(id, stored);
    },
    sendTaskSuccess: async (token, output) => workflows.sendTaskSuccess(token, output) === true,
  });
  let sequence = 0;
  const now = () => clock().toISOString();

  function item(definition: Record<string, unknown>): CatalogueItem {
    const parsed = itemDefinitionSchema.parse({ name: 'Item', category: 'access', ...definition });
    const ctx = { actor: manager, now: now() };
    const created = createItem({ definition: parsed, visibility: { audience: 'all' } }, { id: 'ITEM', code: 'SRV-0001001' }, ctx);
    return publishItem(created.item, ctx, officeHoursCalendar('UTC')).item;
  }

  return {
    requests,
    events,
    waits,
    workflows,
    /** The business clock moves `days` ahead: the waits it passes wake. */
    advance(days: number) {
      advanceClockTo(new Date(clock().getTime() + days * DAY));
    },
    /** A person acts through a domain rule, as the API handler does. */
    act(id: string, by: Actor, rule: (request: ServiceRequest, ctx: RequestContext) => RequestMutation) {
      const request = requests.get(id) as ServiceRequest;
      commit(rule(request, { actor: by, now: now() }), by, request.version);
      return requests.get(id) as ServiceRequest;
    },
    /** Rita raises a request for an item of `definition` and the advancer starts its workflow. */
    raise(definition: Record<string, unknown>, options: ExecutionOptions = {}) {
      sequence += 1;
      const published = item(definition);
      const mutation = submitRequest(
        published,
        published.published as ItemVersion,
        { answers: {} },
        { id: `REQUEST${String(sequence).padStart(19, '0')}`, number: `REQ${String(1000 + sequence).padStart(7, '0')}` },
        { actor: requester, now: now() },
      );
      commit(mutation, requester, null);
      const id = mutation.request.id;
      const command = requestWorkflowCommand('RequestSubmitted', mutation.request, null);
      if (command.kind !== 'start') throw new Error('No workflow to start');
      const started = workflows.start(REQUEST_WORKFLOW, command.input, { ...FAST, ...options, name: id });
      if (started === 'ExecutionAlreadyExists') throw new Error('exists');
      return { id, execution: started.result };
    },
    /** Waits until the workflow waits on a step of `kind` for the request as it is (the workflow runs in the background). */
    async waiting(id: string, kind: StoredWait['wait']['kind'], extra: (stored: StoredWait) => boolean = () => true) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const stored = waits.get(id);
        if (stored?.wait.kind === kind && extra(stored)) return stored;
        if (Date.now() > deadline) throw new Error(`Timed out; the workflow waits on ${JSON.stringify(stored?.wait)}`);
        await sleep(5);
      }
    },
    /** Waits until the request satisfies `ready`. */
    async until(id: string, ready: (request: ServiceRequest) => boolean) {
      const deadline = Date.now() + 5000;
      while (!ready(requests.get(id) as ServiceRequest)) {
        if (Date.now() > deadline) throw new Error(`Timed out; request is ${requests.get(id)?.status}`);
        await sleep(5);
      }
      return requests.get(id) as ServiceRequest;
    },
    eventsOf(id: string) {
      return events.filter((event) => event.requestId === id).map((event) => event.type);
    },
  };
}

export const vote = (decision: 'approve' | 'reject') => (request: ServiceRequest, ctx: RequestContext) =>
  voteOnRequest(request, ctx, { decision, comment: null }, []);
export const complete = (number: string) => (request: ServiceRequest, ctx: RequestContext) => completeTask(request, ctx, number, 'Done.');
export const fail = (number: string) => (request: ServiceRequest, ctx: RequestContext) => failTask(request, ctx, number, 'Cannot be done.');
export const confirm = (request: ServiceRequest, ctx: RequestContext) => confirmRequest(request, ctx);
export const callback = (satisfied: boolean) => (request: ServiceRequest, ctx: RequestContext) =>
  recordCallback(request, ctx, { satisfied, comment: satisfied ? null : 'Still broken.' });
/** The numbers of the open tasks of the current stage. */
export const openTasks = (request: ServiceRequest) => request.tasks.filter((one) => one.status === 'open').map((one) => one.number);
