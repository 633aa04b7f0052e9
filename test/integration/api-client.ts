/**
 * A tiny client for the local API, with tokens minted by the local issuer
 * for any tenant and user, so each test file can use tenants of its own.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Role } from '#shared/domain/roles.js';
import { createTokenIssuer } from '../../infra/local/token-issuer.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

const issuer = createTokenIssuer(inject('issuer'), inject('issuerKeyFile'));

/** A fresh tenant id, so tests never see each other's data. */
/**
 * Points this test process's own data layer at the integration run's
 * DynamoDB Local table, for tests that call repositories or workflow tasks
 * directly. The data layer reads its configuration at import time: call
 * this before importing anything that uses it (with `await import`).
 */
export function useLocalTable(logLevel: 'WARN' | 'ERROR' = 'WARN'): void {
  Object.assign(process.env, {
    TABLE_NAME: 'itsm-local',
    DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'),
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: logLevel,
  });
}

export function newTenant(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The platform operator: a token with the `platform-operator` group and no tenant claim. */
export function operator(userId = 'test-operator') {
  const token = issuer.issue({ userId, name: userId, email: `${userId}@platform.example`, roles: ['platform-operator'] });
  return {
    userId,
    token,
    call: <T = Record<string, unknown>>(method: string, path: string, options: Omit<Parameters<typeof request>[2], 'token'> = {}) =>
      request<T>(method, path, { ...options, token }),
  };
}

export function tokenFor(tenantId: string, userId: string, roles: Role[], overrides?: Record<string, unknown>): string {
  return issuer.issue({ tenantId, userId, roles, name: userId, email: `${userId}@example.com` }, overrides ? { overrides } : {});
}

export async function request<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${inject('apiUrl')}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * Makes the local stack resolve `hostname` to `addresses` from now on (its
 * outbound guard's resolver reads these answers), so tests can give a name
 * public addresses and later rebind it. Use names of your own test.
 */
export function resolveInTests(hostname: string, addresses: readonly string[]): void {
  if (!/^[a-z0-9.-]+$/.test(hostname)) throw new Error(`Not a test host name: ${hostname}`);
  writeFileSync(join(inject('testDnsDir'), hostname), JSON.stringify(addresses));
}

/**
 * A call to a developer endpoint under `/local/` (events, executions, clock,
 * faults, runbooks): it needs a dev token and shows only that token's tenant.
 */
export function localFetch(path: string, tenantId: string, init: RequestInit = {}): Promise<Response> {
  const token = tokenFor(tenantId, `${tenantId}-developer`, ['tenant-admin']);
  return fetch(`${inject('apiUrl')}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
}

/** The four roles of one tenant, each a user of its own. */
export function actorsOf(tenantId: string) {
  const make = (userId: string, roles: Role[]) => {
    const token = tokenFor(tenantId, userId, roles);
    const call = <T = Record<string, unknown>>(method: string, path: string, options: Omit<Parameters<typeof request>[2], 'token'> = {}) =>
      request<T>(method, path, { ...options, token });
    return { userId, token, call };
  };
  return {
    tenantId,
    requester: make(`${tenantId}-requester`, ['requester']),
    otherRequester: make(`${tenantId}-requester-2`, ['requester']),
    agent: make(`${tenantId}-agent`, ['agent']),
    manager: make(`${tenantId}-manager`, ['manager']),
    admin: make(`${tenantId}-admin`, ['tenant-admin']),
  };
}

export const sampleIncident = (overrides: Record<string, unknown> = {}) => ({
  title: 'VPN drops every few minutes',
  description: 'Remote staff disconnected since 09:00.',
  category: 'network',
  type: 'network',
  impact: 2,
  urgency: 2,
  ...overrides,
});

/** An event as the local bus logged it. */
export type BusEvent = {
  id: string;
  source: string;
  'detail-type': string;
  detail: { eventId: string; incidentId?: string; version: number; tenantId: string } & Record<string, unknown>;
};

/** The tenant's events on the local bus, in the order they were put. */
export async function busEvents(tenantId: string): Promise<BusEvent[]> {
  const response = await localFetch('/local/events.json', tenantId);
  return ((await response.json()) as { items: BusEvent[] }).items;
}

/** Polls the bus until `done` holds for the tenant's events (the outbox stream is asynchronous). */
export function eventually(tenantId: string, done: (events: BusEvent[]) => boolean, timeoutMs = 15_000): Promise<BusEvent[]> {
  return pollUntil(() => busEvents(tenantId), done, timeoutMs);
}

/** A workflow execution of the local Step Functions stand-in, as DescribeExecution answers. */
export type LocalExecutionView = { name: string; status: string; input: string; output?: string; stateMachineArn: string; currentState: string | null };

/** Every execution the local stack started for `tenantId`. */
export async function localExecutions(tenantId: string): Promise<LocalExecutionView[]> {
  const response = await localFetch('/local/stepfunctions/executions', tenantId);
  return ((await response.json()) as { items: LocalExecutionView[] }).items;
}

/**
 * Moves this test process's business clock (`shared/clock.ts`) up to the
 * local stack's, which a test may have moved forward (`POST /local/clock`):
 * handlers run here in-process then see the time the stack's records carry.
 * Call it after the records the handler will read were written.
 */
export async function syncClockWithStack(): Promise<void> {
  const { advanceClockTo, now } = await import('#shared/clock.js');
  const stack = await stackNow();
  if (stack.getTime() > now().getTime()) advanceClockTo(stack);
}

/**
 * The local stack's business time (`GET /local/clock`). Another test may
 * have moved it ahead of the system clock, so times the API judges (change
 * windows, due times) are stated relative to it, never to `Date.now()`.
 */
export async function stackNow(): Promise<Date> {
  return new Date(((await (await localFetch('/local/clock', 'clock-reader')).json()) as { now: string }).now);
}

/** Polls `read` until `done` holds or `timeoutMs` passes, and answers the last value (workflows and the outbox run in the background). */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Forms assignment groups in `tenant` (front line unless told), so tests
 * can dispatch to them: incidents go only to groups that exist.
 */
export async function createGroups(
  tenant: ReturnType<typeof actorsOf>,
  groups: readonly (string | { code: string; tier?: string; escalatesTo?: string | null; managerId?: string | null })[],
): Promise<void> {
  for (const entry of groups) {
    const group = typeof entry === 'string' ? { code: entry } : entry;
    const response = await tenant.admin.call('POST', '/groups', { body: { name: group.code, tier: 'front-line', ...group } });
    if (response.status !== 201) throw new Error(`POST /groups ${group.code} → ${response.status} ${JSON.stringify(response.body)}`);
  }
}
