/**
 * Runs `statemachines/continuity-test.asl.json` with the local runner and
 * the real task functions against DynamoDB Local: a plan and a requested
 * test are seeded, a probe target is a real HTTP server on 127.0.0.1, and
 * a manual step is confirmed the way the API does (SendTaskSuccess with the
 * token the workflow stored on the test). Shared by the workflow tests and
 * the benchmark (state transitions per path).
 *
 * The requested test is written without its outbox event: the local stack
 * of the test run would otherwise start its own execution of it.
 * Import it after the data layer's environment is set: it loads handlers.
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { db, tableName } from '#shared/data/client.js';
import { getTest, insertPlan } from '#shared/data/continuity/continuity-repository.js';
import { continuityTestKey } from '#shared/data/continuity/keys.js';
import { type ContinuityPlan, type ContinuityTest, createPlan, type RecoveryStep, requestTest } from '#shared/domain/continuity/continuity-plan.js';
import { localWorkflows } from '../../infra/local/local-stack.js';
import type { ExecutionOptions, ExecutionResult, LocalWorkflows } from '../../infra/local/local-workflows.js';

/** Tests never wait for a retry backoff. */
export const FAST: ExecutionOptions = { retryIntervalOverrides: { RunProbe: 0, RecordStart: 0, CompleteTest: 0, OpenActionPlan: 0 } };

/** An HTTP server whose answer the test sets: `up` → 200 with a recovery point, `down` → 503. */
export async function probeTarget(): Promise<{ url: string; state: { up: boolean; recoveryPoint: string | null; hits: number }; close(): Promise<void> }> {
  const state = { up: true, recoveryPoint: null as string | null, hits: 0 };
  const server: Server = createServer((_request, response) => {
    state.hits += 1;
    response.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify(state.up ? { status: 'ok', lastBackupAt: state.recoveryPoint } : { status: 'down' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/health`, state, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function probeStep(id: string, url: string, extra: Partial<RecoveryStep> = {}): RecoveryStep {
  return { id, name: `Probe ${id}`, kind: 'probe', url, expectedStatus: 200, timeoutSeconds: 2, recoveryPointField: null, ...extra } as RecoveryStep;
}

export function manualStep(id: string): RecoveryStep {
  return { id, name: `Manual ${id}`, kind: 'manual', instructions: 'Fail over the database and confirm with the console screenshot.' };
}

/** Seeds a plan of `steps` and a requested test of it. */
export async function seedTest(tenantId: string, steps: readonly RecoveryStep[], plan: { rtoMinutes?: number; rpoMinutes?: number } = {}) {
  const actor = { tenantId, userId: 'dr-manager', roles: ['manager'] as const };
  const at = now().toISOString();
  const change = createPlan(
    {
      name: 'Payments DR',
      serviceId: `svc-${ulid()}`,
      rtoMinutes: plan.rtoMinutes ?? 60,
      rpoMinutes: plan.rpoMinutes ?? 15,
      contacts: [{ name: 'Dana Lead', role: 'DR lead', phone: null, email: 'dana@acme.example', escalationLevel: 1 }],
      steps,
    },
    ulid(),
    { actor, now: at },
  );
  await insertPlan(change, actor);
  const test = requestTest(change.plan, ulid(), 'live', 'on_demand', { actor, now: at });
  await db.send(new PutCommand({ TableName: tableName(), Item: { ...continuityTestKey(tenantId, test.id), entity: 'ContinuityTest', ...test } }));
  return { plan: change.plan as ContinuityPlan, test };
}

/** Waits until the test has a token waiting on `stepId`. */
export async function tokenFor(tenantId: string, testId: string, stepId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const token = (await getTest(tenantId, testId))?.awaiting[stepId];
    if (token) return token;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`No task token for step ${stepId}`);
}

/** Runs the workflow for a seeded test; `during` acts while it runs (confirms manual steps). */
export async function runTest(
  tenantId: string,
  test: ContinuityTest,
  options: { execution?: ExecutionOptions; during?: (workflows: LocalWorkflows) => Promise<void>; workflows?: LocalWorkflows } = {},
): Promise<{ execution: ExecutionResult; transitions: number; after: ContinuityTest }> {
  const workflows = options.workflows ?? localWorkflows();
  const started = workflows.start('continuity-test', { tenantId, testId: test.id }, { ...FAST, ...options.execution, name: test.id });
  if (started === 'ExecutionAlreadyExists') throw new Error('execution exists');
  await options.during?.(workflows);
  const execution = await started.result;
  const after = await getTest(tenantId, test.id);
  if (!after) throw new Error('test vanished');
  return { execution, transitions: execution.states.length + execution.retries.length, after };
}
