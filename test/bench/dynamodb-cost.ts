/**
 * DynamoDB calls and consumed capacity per API operation, read from the
 * client's capacity meter while the real handlers serve real requests
 * against DynamoDB Local.
 */

import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

export interface OperationCost extends CapacityReading {
  operation: string;
  status: number;
}

export async function measureOperationCosts(stack: LocalStack): Promise<OperationCost[]> {
  const user = (roles: ('agent' | 'requester')[]) => ({
    tenantId: 'bench-cost',
    userId: `bench-${roles[0]}`,
    roles,
    name: 'Bench',
    email: 'bench@example.com',
  });
  const agent = stack.tokenFor(user(['agent']));
  const costs: OperationCost[] = [];
  const call = async (operation: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    // The previous call's events fan out in the background (publisher, webhook dispatcher) on the
    // same DynamoDB client: let them finish, so the reading holds this call's work only.
    await stack.drainEvents();
    takeCapacityReading();
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as { id?: string; version?: number };
    costs.push({ operation, status: response.status, ...takeCapacityReading() });
    return json;
  };
  const incident = {
    title: 'Disk full on db-1',
    description: 'Write errors since 03:00; /var at 100 %.',
    category: 'storage',
    type: 'hardware',
    impact: 2,
    urgency: 1,
    ciId: 'db-1',
  };
  // The group incidents are dispatched to, made by the tenant's admin (not measured).
  await fetch(`${stack.url}/groups`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.tokenFor({ ...user(['agent']), userId: 'bench-admin', roles: ['tenant-admin'] })}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ code: 'dba', name: 'Database administrators', tier: 'front-line' }),
  });
  // Warm-up: first calls load handlers and create the tenant's settings item.
  await call('warm-up', 'POST', '/incidents', incident);
  const created = await call('create incident', 'POST', '/incidents', incident);
  await call('create incident (Idempotency-Key)', 'POST', '/incidents', incident, { 'idempotency-key': 'bench-1' });
  await call('create replay (same key)', 'POST', '/incidents', incident, { 'idempotency-key': 'bench-1' });
  // The group check of a dispatch at creation: one GetItem more than a plain create.
  await call('create incident in a group', 'POST', '/incidents', { ...incident, assignmentGroup: 'dba' });
  await call('create in an unknown group (422)', 'POST', '/incidents', { ...incident, assignmentGroup: 'no-such-group' });
  await call('get incident', 'GET', `/incidents/${created.id}`);
  await call('get incident by number', 'GET', '/incidents/INC0001002');
  await call('list queue (status, 25)', 'GET', '/incidents?status=new');
  await call('assign (If-Match)', 'POST', `/incidents/${created.id}/assign`, { assignmentGroup: 'dba' }, { 'if-match': '"1"' });
  await call('edit title', 'PATCH', `/incidents/${created.id}`, { title: 'Disk full on db-1 (/var)' });
  await call('edit urgency (re-prioritise)', 'PATCH', `/incidents/${created.id}`, { urgency: 2 });
  await call('add work note', 'POST', `/incidents/${created.id}/notes`, { visibility: 'work_note', body: 'Rotated logs.' });
  await call('history', 'GET', `/incidents/${created.id}/history`);
  await call('stale If-Match (412)', 'POST', `/incidents/${created.id}/start`, undefined, { 'if-match': '"1"' });
  return costs.filter((cost) => cost.operation !== 'warm-up');
}
