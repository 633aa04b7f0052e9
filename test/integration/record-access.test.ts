/**
 * One rule for every route that names a record (a path parameter), for
 * every role: another tenant's record, a record that does not exist, or a
 * record the caller may not see answers 404 problem+json, so no answer tells
 * a record exists; 403 only where the caller sees the record but may not
 * take the action. Walks the route table, so a new route on a record is
 * covered (and must name its record below) without editing the cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { PASSWORD_RESET } from '../../infra/local/demo-requests.js';
import { actorsOf, newTenant, pollUntil, sampleIncident, stackNow } from './api-client.js';

const ROLES = ['requester', 'agent', 'manager', 'admin'] as const;
const recordRoutes = (Object.values(routes) as RouteSpec[]).filter((route) => route.path.includes('{'));
const recordOf = (path: string) => path.slice(0, path.indexOf('}') + 1);

/** A valid body for each operation on a record: a bad body would answer 400 before the record is looked up. */
const BODIES: Record<string, unknown> = {
  updateIncident: { title: 'hijacked' },
  assignIncident: { assignmentGroup: 'intruders' },
  holdIncident: { reason: 'awaiting_customer' },
  resolveIncident: { code: 'duplicate', notes: 'hijacked' },
  closeIncident: {},
  reopenIncident: { reason: 'hijacked' },
  cancelIncident: { reason: 'hijacked' },
  addIncidentNote: { visibility: 'comment', body: 'hijacked' },
  updateWebhook: { name: 'hijacked' },
  updateCi: { name: 'hijacked' },
  addCiRelationship: { type: 'depends_on', targetId: '01KAZC1M4V7B2N8X5Q3W9E6R0T' },
  assessChange: { impact: 'i', resources: 'r', riskAnswers: {}, continuityImpact: false },
  recordChangeApproval: { decision: 'approve' },
  reportChangeImplementation: { result: 'success', notes: 'hijacked' },
  closeChange: { notes: 'hijacked' },
  cancelChange: { reason: 'hijacked' },
  deployRelease: { stage: 'pilot' },
  completeRelease: { result: 'rolled_back', report: 'hijacked' },
  requestContinuityTest: { kind: 'tabletop' },
  confirmContinuityStep: { outcome: 'failed', evidence: 'hijacked' },
  updateCatalogueItem: { definition: PASSWORD_RESET },
  recordRequestApproval: { decision: 'approve' },
  awaitRequester: { question: 'hijacked?' },
  replyToRequest: { answer: 'hijacked' },
  recordRequestCallback: { satisfied: false },
  cancelRequest: { reason: 'hijacked' },
  assignRequestTask: { group: 'intruders' },
  addRequestTaskNote: { body: 'hijacked' },
  completeRequestTask: { outcome: 'hijacked' },
  failRequestTask: { reason: 'hijacked' },
  updateGroup: { name: 'hijacked' },
  suspendTenant: { reason: 'hijacked' },
  changeTenantTier: { tier: 'premium' },
  setUserRoles: { roles: ['tenant-admin'] },
  updateUserProfile: { name: 'hijacked' },
  linkProblemIncidents: { incidentIds: ['01KB0000000000000000000000'] },
  acceptProblem: {},
  dismissProblem: { reason: 'hijacked' },
  assessProblem: { impact: 1 },
  analyseProblem: {},
  recordRootCause: { method: 'five_whys', summary: 'hijacked', findings: ['hijacked'] },
  publishKnownError: { symptoms: 'hijacked', workaround: 'hijacked' },
  resolveProblem: { changeId: '01KB0000000000000000000000', notes: 'hijacked' },
  closeProblem: {},
  cancelProblem: { reason: 'hijacked' },
  updateArticle: { title: 'hijacked' },
  submitArticle: {},
  publishArticle: {},
  rejectArticle: { reason: 'hijacked' },
  retireArticle: { reason: 'hijacked' },
  rateArticle: { helpful: false },
};

/** A valid query where the operation requires one. */
const QUERIES: Record<string, string> = { getServiceAvailability: '?from=2026-01-01T00:00:00.000Z&to=2026-02-01T00:00:00.000Z' };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomUlid = () => Array.from({ length: 26 }, (_, index) => CROCKFORD[index === 0 ? 0 : Math.floor(Math.random() * 32)]).join('');

/** Path parameter values per record: `id` (and the others) of a real record, or of none. */
type Ids = Readonly<Record<string, Readonly<Record<string, string>>>>;

function randomIds(): Ids {
  const id = () => ({ id: randomUlid() });
  return {
    '/incidents/{id}': id(),
    '/webhooks/{id}': { ...id(), deliveryId: randomUlid() },
    '/settings/integration-keys/{keyId}': { keyId: randomUlid() },
    '/cis/{id}': { ...id(), type: 'depends_on', otherId: randomUlid() },
    '/services/{code}': { code: 'NO-SUCH-SERVICE' },
    '/changes/{id}': id(),
    '/releases/{id}': id(),
    '/continuity-plans/{id}': id(),
    '/continuity-tests/{id}': { ...id(), stepId: 'no-such-step' },
    '/improvement-items/{id}': id(),
    '/problems/{id}': id(),
    '/catalogue-items/{id}': id(),
    '/requests/{id}': { ...id(), taskId: 'TASK0009999-1' },
    '/groups/{code}': { code: 'no-such-group' },
    '/tenants/{id}': { id: 'no-such-tenant', exportId: randomUlid() },
    '/users/{id}': { id: 'no-such-user' },
    '/exports/{id}': id(),
    '/knowledge/articles/{id}': id(),
  };
}

function pathOf(route: RouteSpec, ids: Ids): string {
  const values = ids[recordOf(route.path)];
  if (!values) throw new Error(`No record named for ${route.path}: add it to the fixtures of this test.`);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for {${name}} of ${route.path}.`);
    return encodeURIComponent(value);
  });
  return `${path}${QUERIES[route.operationId] ?? ''}`;
}

type Actors = ReturnType<typeof actorsOf>;

/** Workflows, the outbox and webhook dispatch run in the background: under a full, loaded test run they take tens of seconds. */
const WAIT_MS = 60_000;
type Json = Record<string, unknown>;

/** One record of every kind in `owner`'s tenant, through the API. */
async function recordsOf(owner: Actors): Promise<Ids> {
  const created = async (method: string, path: string, as: Actors[keyof Omit<Actors, 'tenantId'>], body?: unknown) => {
    const response = await as.call<Json>(method, path, body === undefined ? {} : { body });
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const webhook = await created('POST', '/webhooks', owner.admin, {
    name: 'dead end',
    url: 'http://127.0.0.1:9/hook',
    pattern: { source: ['itsm.incidents'] },
  });
  // After the webhook: its event is what gives the webhook a delivery to look up.
  const incident = await created('POST', '/incidents', owner.requester, sampleIncident());
  const key = await created('POST', '/settings/integration-keys', owner.admin, { name: 'monitoring' });
  // The service desk: the demo catalogue item published below dispatches to it.
  const group = await created('POST', '/groups', owner.admin, { code: 'service-desk', name: 'Service desk', tier: 'front-line' });
  // Published for requesters: the intruder tenant's requesters are the ones who must not read it.
  const article = await created('POST', '/knowledge/articles', owner.agent, {
    title: 'VPN',
    body: 'Reconnect.',
    category: 'network',
    audience: ['requesters'],
  });
  await created('POST', `/knowledge/articles/${article.id}/submit`, owner.agent, {});
  await created('POST', `/knowledge/articles/${article.id}/publish`, owner.manager, {});
  const service = await created('POST', '/cis', owner.agent, { class: 'business_service', name: 'Payments', attributes: { serviceCode: 'PAY-01' } });
  const other = await created('POST', '/cis', owner.agent, { class: 'business_service', name: 'Billing', attributes: { serviceCode: 'BILL-01' } });
  const host = await created('POST', '/cis', owner.agent, { class: 'server', name: 'db-host-1' });
  await created('POST', `/cis/${service.id}/relationships`, owner.agent, { type: 'depends_on', targetId: host.id });
  const hour = 3_600_000;
  // Windows on the stack's business clock, which another test may have moved ahead (windows in the past are refused).
  const now = (await stackNow()).getTime();
  const change = await created('POST', '/changes', owner.agent, {
    type: 'standard',
    templateId: 'os-patch',
    title: 'Patch db-host-1',
    description: 'Monthly patch.',
    justification: 'Security fixes.',
    ciIds: [host.id],
    serviceIds: [],
    plannedStart: new Date(now + 24 * hour).toISOString(),
    plannedEnd: new Date(now + 25 * hour).toISOString(),
  });
  await created('POST', `/changes/${change.id}/submit`, owner.agent);
  const release = await created('POST', '/releases', owner.agent, {
    title: 'Patch train',
    description: 'The monthly patch.',
    softwareVersion: '1.0.1',
    changeIds: [change.id],
    deploymentPlan: [{ name: 'full', ciIds: [host.id] }],
    rollbackPlan: 'Reinstall 1.0.0.',
    plannedStart: new Date(now + 24 * hour).toISOString(),
    plannedEnd: new Date(now + 25 * hour).toISOString(),
  });
  const plan = (serviceId: unknown, steps: unknown[]) => ({
    name: 'DR',
    serviceId,
    rtoMinutes: 240,
    rpoMinutes: 60,
    contacts: [{ name: 'Dana Lead', role: 'DR lead', email: 'dana@example.com', escalationLevel: 1 }],
    steps,
  });
  const manualPlan = await created(
    'POST',
    '/continuity-plans',
    owner.manager,
    plan(service.id, [{ id: 'failover', name: 'Fail over', kind: 'manual', instructions: 'x' }]),
  );
  const failingPlan = await created(
    'POST',
    '/continuity-plans',
    owner.manager,
    plan(other.id, [{ id: 'health', name: 'Health', kind: 'probe', url: 'http://127.0.0.1:9/health', timeoutSeconds: 1 }]),
  );
  const manualTest = await created('POST', `/continuity-plans/${manualPlan.id}/tests`, owner.manager, { kind: 'tabletop' });
  const failingTest = await created('POST', `/continuity-plans/${failingPlan.id}/tests`, owner.manager, { kind: 'live' });
  const waiting = await pollUntil(
    () => owner.agent.call<{ awaitingConfirmation: string[] }>('GET', `/continuity-tests/${manualTest.id}`),
    (response) => response.body.awaitingConfirmation.includes('failover'),
    WAIT_MS,
  );
  expect(waiting.body.awaitingConfirmation).toContain('failover');
  const failed = await pollUntil(
    () => owner.agent.call<{ improvementItemId: string | null; problemId: string | null }>('GET', `/continuity-tests/${failingTest.id}`),
    (response) => response.body.improvementItemId !== null,
    WAIT_MS,
  );
  const deliveries = await pollUntil(
    () => owner.admin.call<{ items: { id: string }[] }>('GET', `/webhooks/${webhook.id}/deliveries`),
    (response) => response.body.items.length > 0,
    WAIT_MS,
  );
  const item = await created('POST', '/catalogue-items', owner.manager, { definition: PASSWORD_RESET });
  await created('POST', `/catalogue-items/${item.id}/publish`, owner.manager);
  const serviceRequest = await created('POST', '/requests', owner.requester, { itemId: item.id, answers: { system: 'email' } });
  // A person and an export of the owner's tenant; its tenant id names the operator's records (no tenant role reaches them).
  const person = await created('POST', '/users', owner.admin, { name: 'Ann Other', email: `ann@${owner.tenantId}.example`, roles: ['agent'] });
  const backup = await created('POST', '/exports', owner.admin);
  const ids: Record<string, Record<string, string>> = {
    '/tenants/{id}': { id: owner.tenantId, exportId: String(backup.id) },
    '/users/{id}': { id: String(person.id) },
    '/exports/{id}': { id: String(backup.id) },
    '/incidents/{id}': { id: String(incident.id) },
    '/webhooks/{id}': { id: String(webhook.id), deliveryId: String(deliveries.body.items[0]?.id) },
    '/settings/integration-keys/{keyId}': { keyId: String(key.keyId) },
    '/cis/{id}': { id: String(service.id), type: 'depends_on', otherId: String(host.id) },
    '/services/{code}': { code: 'PAY-01' },
    '/changes/{id}': { id: String(change.id) },
    '/releases/{id}': { id: String(release.id) },
    '/continuity-plans/{id}': { id: String(manualPlan.id) },
    '/continuity-tests/{id}': { id: String(manualTest.id), stepId: 'failover' },
    '/improvement-items/{id}': { id: String(failed.body.improvementItemId) },
    '/problems/{id}': { id: String(failed.body.problemId) },
    '/catalogue-items/{id}': { id: String(item.id) },
    '/requests/{id}': { id: String(serviceRequest.id), taskId: String((serviceRequest.tasks as { number: string }[])[0]?.number) },
    '/groups/{code}': { code: String(group.code) },
    '/knowledge/articles/{id}': { id: String(article.id) },
  };
  for (const values of Object.values(ids)) for (const value of Object.values(values)) expect(value).not.toMatch(/^(undefined|null)$/);
  return ids;
}

describe('routes on a record: 404 unless the caller may see it', () => {
  const owner = actorsOf(newTenant('owner'));
  const intruder = actorsOf(newTenant('intruder'));
  const random = randomIds();
  let real: Ids;

  beforeAll(async () => {
    real = await recordsOf(owner);
  }, 4 * WAIT_MS);

  it('names a record for every route on one', () => {
    expect(recordRoutes.length).toBeGreaterThan(40);
    for (const route of recordRoutes) {
      expect(random[recordOf(route.path)], route.path).toBeDefined();
      expect(real[recordOf(route.path)], route.path).toBeDefined();
      if (route.body) expect(BODIES[route.operationId], `a valid body for ${route.operationId}`).toBeDefined();
    }
  });

  const cases = recordRoutes.flatMap((route) =>
    ROLES.flatMap((role) => [
      { route, role, record: "another tenant's record" as const },
      { route, role, record: 'a random id in its own tenant' as const },
    ]),
  );

  it.each(cases)('$route.method $route.path as $role, $record → 404 problem', async ({ route, role, record }) => {
    const [caller, ids] = record === "another tenant's record" ? [intruder[role], real] : [owner[role], random];
    const response = await caller.call(route.method, pathOf(route, ids), {
      ...(route.body ? { body: BODIES[route.operationId] ?? {} } : {}),
      ...(route.conditional ? { headers: { 'if-match': '"1"' } } : {}),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    { who: 'requester', operation: 'updateIncident' },
    { who: 'requester', operation: 'assignIncident' },
    { who: 'requester', operation: 'startIncident' },
    { who: 'requester', operation: 'holdIncident' },
    { who: 'requester', operation: 'resolveIncident' },
    { who: 'requester', operation: 'cancelIncident' },
    { who: 'requester', operation: 'getIncidentHistory' },
    { who: 'agent', operation: 'cancelIncident' },
    { who: 'agent', operation: 'requestContinuityTest' },
    { who: 'requester', operation: 'publishCatalogueItem' },
    { who: 'agent', operation: 'updateCatalogueItem' },
    { who: 'requester', operation: 'completeRequestTask' },
    { who: 'requester', operation: 'awaitRequester' },
  ] as const)('$who may see the record of $operation but not act → 403 problem, nothing changed', async ({ who, operation }) => {
    const route = recordRoutes.find((candidate) => candidate.operationId === operation) as RouteSpec;
    const record = recordOf(route.path);
    const read = `${record.replace('{id}', real[record]?.id as string)}`;
    const before = await owner.manager.call<{ version: number }>('GET', read);
    const response = await owner[who].call(route.method, pathOf(route, real), route.body ? { body: BODIES[operation] ?? {} } : {});
    expect(response.status, JSON.stringify(response.body)).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await owner.manager.call<{ version: number }>('GET', read)).body.version).toBe(before.body.version);
  });
});
