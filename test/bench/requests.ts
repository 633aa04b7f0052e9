/**
 * Service requests: DynamoDB calls per API operation (submit ≤ 3, read ≤ 1,
 * the task queue one Query) and, per request path, the state transitions,
 * workflow transitions, events and DynamoDB work, priced at list prices
 * per million requests. The real handlers serve real requests against
 * DynamoDB Local; the background work each call sets off (outbox
 * publisher, the advancer, the workflow's task function, the target
 * watch's schedules) is counted with the path: after the last call the
 * local clock moves three days on, so the callback falls due, the target
 * watch fires and the execution ends.
 */
import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import { type DEMO_CATALOGUE, NEW_STARTER, PASSWORD_RESET } from '../../infra/local/demo-requests.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

/** DynamoDB on-demand, us-east-1 (since 2024-11): $0.625 per million write request units, $0.125 per million read units. */
export const USD_PER_WRITE_UNIT = 0.625 / 1e6;
export const USD_PER_READ_UNIT = 0.125 / 1e6;
/** EventBridge custom events put on the bus: $1.00 per million. */
export const USD_PER_EVENT = 1 / 1e6;
/** EventBridge Scheduler invocations: $1.00 per million (after the free tier). */
export const USD_PER_SCHEDULE = 1 / 1e6;
/** Step Functions Standard: $0.025 per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1000;
const DAY_MS = 86_400_000;

export interface RequestOperationCost extends CapacityReading {
  readonly operation: string;
  readonly status: number;
}

export interface RequestPathFigure {
  readonly path: string;
  readonly apiCalls: number;
  /** Status changes of the request (submitted → … → closed). */
  readonly transitions: number;
  /** States the request's `service-request` workflow entered, start to end (each a billed Standard transition). */
  readonly workflowTransitions: number;
  readonly events: number;
  readonly schedules: number;
  readonly dynamoDbCalls: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly usdPerMillionRequests: number;
}

type Json = { id: string; status: string; version: number; tasks: { number: string; status: string }[]; statusChangedAt: Record<string, string> };

export async function measureRequests(stack: LocalStack): Promise<{ operations: RequestOperationCost[]; paths: RequestPathFigure[] }> {
  const token = (userId: string, roles: ('agent' | 'requester' | 'manager' | 'tenant-admin')[]) =>
    stack.tokenFor({ tenantId: 'bench-requests', userId, roles, name: userId, email: `${userId}@example.com` });
  const people = { requester: token('bench-requester', ['requester']), agent: token('bench-agent', ['agent']), manager: token('bench-manager', ['manager']) };
  /** Request events the tenant has put on the bus so far (the local bus's log). */
  const eventCount = async () => {
    const response = await fetch(`${stack.url}/local/events.json`, { headers: { authorization: `Bearer ${people.manager}` } });
    const { items } = (await response.json()) as { items: { source: string }[] };
    return items.filter((event) => event.source === 'itsm.requests').length;
  };
  const operations: RequestOperationCost[] = [];
  let path = { calls: 0, reading: empty() };

  /**
   * Lets the background work of the calls before settle (outbox, advancer,
   * the workflow's steps, the target watch), counted with the path: until a
   * tenth of a second passes without a DynamoDB call, so none of it is
   * counted with the next operation.
   */
  const settle = async () => {
    for (let round = 0; round < 50; round += 1) {
      await stack.drainEvents();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reading = takeCapacityReading();
      path.reading = add(path.reading, reading);
      if (reading.calls === 0) return;
    }
  };
  const call = async (who: keyof typeof people, operation: string, method: string, url: string, body?: unknown): Promise<Json> => {
    await settle();
    const response = await fetch(`${stack.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${people[who]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Json;
    if (response.status >= 300) throw new Error(`${operation}: ${response.status} ${JSON.stringify(json)}`);
    const reading = takeCapacityReading();
    operations.push({ operation, status: response.status, ...reading });
    path = { calls: path.calls + 1, reading: add(path.reading, reading) };
    return json;
  };
  const publish = async (definition: (typeof DEMO_CATALOGUE)[number] | Record<string, unknown>) => {
    const item = await call('manager', 'create catalogue item', 'POST', '/catalogue-items', { definition });
    await call('manager', 'publish catalogue item', 'POST', `/catalogue-items/${item.id}/publish`);
    return item.id;
  };

  // Publishing needs the plan's groups to exist (as an incident's assignment group must).
  const admin = token('bench-admin', ['tenant-admin']);
  for (const code of ['service-desk', 'identity-ops', 'regional-ops', 'network-ops', 'erp-team']) {
    const response = await fetch(`${stack.url}/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: code, tier: 'front-line' }),
    });
    if (response.status !== 201 && response.status !== 409) throw new Error(`POST /groups ${code}: ${response.status}`);
  }
  const standard = await publish(PASSWORD_RESET);
  const oneLevel = await publish({ ...PASSWORD_RESET, name: 'Software licence', approval: { kind: 'manager' } });
  const twoStages = await publish({
    ...NEW_STARTER,
    plan: {
      stages: [...NEW_STARTER.plan.stages, { name: 'First day', tasks: [{ key: 'welcome', name: 'Desk visit', group: 'service-desk', targetHours: 2 }] }],
    },
  });
  const answers = { fullName: 'Bench', startDate: '2031-01-06', lineManager: 'bench-manager', laptop: 'standard' };
  // Warm the handlers and the tenant's counters before anything is measured.
  const warm = await call('requester', 'warm-up', 'POST', '/requests', { itemId: standard, answers: { system: 'email' } });
  // Cancelled, so neither its workflow nor its target watch works during a measured path.
  await call('requester', 'warm-up', 'POST', `/requests/${warm.id}/cancel`, { reason: 'Warm-up.' });
  await settle();
  operations.length = 0;

  const paths: RequestPathFigure[] = [];
  /** The target watch's schedules armed for the request (none fires before the clock moves: the response target is 15 minutes). */
  const watchSchedules = async (id: string) => {
    const listed = (await (await fetch(`${stack.url}/local/scheduler/schedules`)).json()) as { Schedules: { Name: string }[] };
    return listed.Schedules.filter((schedule) => schedule.Name.startsWith(`rq-sla-${id}-`)).length;
  };
  /** The request's execution once it has ended (it runs in the background). */
  const ended = async (id: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const execution = stack.workflows.executions().find((one) => one.name === id);
      if (execution?.ended) return execution.ended;
      if (Date.now() > deadline) throw new Error(`The workflow of ${id} did not end: ${execution?.currentState}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const run = async (name: string, drive: () => Promise<Json>) => {
    await stack.drainEvents();
    takeCapacityReading();
    const before = await eventCount();
    path = { calls: 0, reading: empty() };
    const last = await drive();
    await stack.drainEvents();
    const schedules = await watchSchedules(last.id);
    // Three days on: the callback falls due (the workflow's last wait), the target watch fires and finds nothing to record.
    await fetch(`${stack.url}/local/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.manager}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 3 * DAY_MS }),
    });
    const execution = await ended(last.id);
    if (execution.status !== 'SUCCEEDED') throw new Error(`${name}: the workflow ${execution.status} ${execution.error ?? ''}`);
    await settle();
    const events = (await eventCount()) - before;
    const transitions = Object.keys(last.statusChangedAt).length - 1;
    const workflowTransitions = execution.states.length;
    const usd =
      path.reading.writeCapacityUnits * USD_PER_WRITE_UNIT +
      path.reading.readCapacityUnits * USD_PER_READ_UNIT +
      events * USD_PER_EVENT +
      schedules * USD_PER_SCHEDULE +
      workflowTransitions * USD_PER_TRANSITION;
    paths.push({
      path: name,
      apiCalls: path.calls,
      transitions,
      workflowTransitions,
      events,
      schedules,
      dynamoDbCalls: path.reading.calls,
      readUnits: path.reading.readCapacityUnits,
      writeUnits: path.reading.writeCapacityUnits,
      usdPerMillionRequests: usd * 1e6,
    });
  };
  const workAll = async (request: Json) => {
    let current = request;
    // Stage by stage: completing a stage's last task opens the next one.
    for (let stage = 0; stage < 5 && current.status === 'in_fulfilment'; stage++) {
      for (const task of current.tasks.filter((one) => one.status === 'open')) {
        current = await call('agent', 'complete task', 'POST', `/requests/${current.id}/tasks/${task.number}/complete`, { outcome: 'Done.' });
      }
    }
    await call('requester', 'get request', 'GET', `/requests/${current.id}`);
    await call('requester', 'confirm', 'POST', `/requests/${current.id}/confirm`);
    // Recorded before it falls due (the desk calls early): the workflow finds it when the callback's wait ends.
    return call('agent', 'record callback', 'POST', `/requests/${current.id}/callback`, { satisfied: true });
  };

  await run('no approval (1 task)', async () =>
    workAll(await call('requester', 'submit (no approval)', 'POST', '/requests', { itemId: standard, answers: { system: 'erp' } })),
  );
  await run('one approval level (1 task)', async () => {
    const raised = await call('requester', 'submit (approval)', 'POST', '/requests', { itemId: oneLevel, answers: { system: 'crm' } });
    await call('manager', 'approvals waiting for me', 'GET', '/requests?queue=awaiting-my-approval');
    return workAll(await call('manager', 'approve', 'POST', `/requests/${raised.id}/approvals`, { decision: 'approve' }));
  });
  await run('rejected', async () => {
    const raised = await call('requester', 'submit (approval)', 'POST', '/requests', { itemId: oneLevel, answers: { system: 'crm' } });
    return call('manager', 'reject', 'POST', `/requests/${raised.id}/approvals`, { decision: 'reject', comment: 'No.' });
  });
  await run('approval, two stages of tasks (2 ∥ then 1)', async () => {
    const raised = await call('requester', 'submit (approval)', 'POST', '/requests', { itemId: twoStages, answers });
    await call('agent', 'task queue (group)', 'GET', '/request-tasks?group=identity-ops');
    return workAll(await call('manager', 'approve', 'POST', `/requests/${raised.id}/approvals`, { decision: 'approve' }));
  });
  return { operations, paths };
}

function empty(): CapacityReading {
  return { calls: 0, operations: {}, readCapacityUnits: 0, writeCapacityUnits: 0, indexWriteCapacityUnits: 0 };
}

function add(a: CapacityReading, b: CapacityReading): CapacityReading {
  const operations = { ...a.operations };
  for (const [name, count] of Object.entries(b.operations)) operations[name] = (operations[name] ?? 0) + count;
  return {
    calls: a.calls + b.calls,
    operations,
    readCapacityUnits: a.readCapacityUnits + b.readCapacityUnits,
    writeCapacityUnits: a.writeCapacityUnits + b.writeCapacityUnits,
    indexWriteCapacityUnits: a.indexWriteCapacityUnits + b.indexWriteCapacityUnits,
  };
}
