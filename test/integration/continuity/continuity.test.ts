/**
 * Availability and continuity over HTTP against the local stack: a plan for
 * a business service of the CMDB, tests requested over the API and run by
 * the workflow the bus rule starts, a probe against a local HTTP server
 * that is up and then down (the failed test opens an action plan), a
 * manual step confirmed over the API, an emergency change on the service
 * flipping the plan to "retest required", the offline export, the overdue
 * report, service availability, and tenant isolation.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actorsOf, createGroups, eventually, localFetch, newTenant, resolveInTests, sampleIncident, stackNow } from '../api-client.js';

type Plan = { id: string; status: string; nextTestDue: string; retestReason: string | null; lastTestOutcome: string | null; version: number };
type Test = {
  id: string;
  status: string;
  results: { stepId: string; outcome: string; detail: string; confirmedBy: string | null }[];
  awaitingConfirmation: string[];
  improvementItemId: string | null;
  problemId: string | null;
  failureReasons: string[];
};

const state = { up: true };
const server = createServer((_request, response) => {
  response.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ok: state.up }));
});
let probeUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  probeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function putOnBus(entry: { source: string; detailType: string; detail: Record<string, unknown> }) {
  const put = await fetch(`${inject('apiUrl')}/local/eventbridge`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
    body: JSON.stringify({
      Entries: [{ EventBusName: 'itsm-local', Source: entry.source, DetailType: entry.detailType, Detail: JSON.stringify(entry.detail) }],
    }),
  });
  expect(((await put.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
}

async function serviceWithServer(tenant: ReturnType<typeof actorsOf>) {
  const service = await tenant.agent.call<{ id: string }>('POST', '/cis', {
    body: { class: 'business_service', name: 'Payments <EU>', attributes: { serviceCode: 'PAY-01' } },
  });
  const host = await tenant.agent.call<{ id: string }>('POST', '/cis', { body: { class: 'server', name: 'db-host-1' } });
  expect((await tenant.agent.call('POST', `/cis/${service.body.id}/relationships`, { body: { type: 'depends_on', targetId: host.body.id } })).status).toBe(201);
  return { serviceId: service.body.id, hostId: host.body.id };
}

function planBody(serviceId: string, steps: unknown[]) {
  return {
    name: 'Payments DR',
    serviceId,
    rtoMinutes: 240,
    rpoMinutes: 60,
    contacts: [
      { name: 'Backup Lead', role: 'Deputy', email: 'deputy@acme.example', escalationLevel: 2 },
      { name: 'Dana Lead', role: 'DR lead', phone: '+44 20 7946 0000', email: 'dana@acme.example', escalationLevel: 1 },
    ],
    steps,
  };
}

describe('continuity over HTTP', () => {
  it('plan, probe up (passed), emergency change (retest required), probe down (failed, action plan opened)', async () => {
    const tenant = actorsOf(newTenant('bc'));
    const { serviceId } = await serviceWithServer(tenant);
    state.up = true;

    const created = await tenant.manager.call<Plan & { contacts: { name: string }[] }>('POST', '/continuity-plans', {
      body: planBody(serviceId, [{ id: 'health', name: 'Health endpoint answers', kind: 'probe', url: probeUrl, timeoutSeconds: 2 }]),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'test_overdue', availabilityTarget: 99.9, testFrequencyMonths: 12, lastTestAt: null });
    expect(created.body.contacts.map((contact) => contact.name)).toEqual(['Dana Lead', 'Backup Lead']);
    const planId = created.body.id;

    const overdue = await tenant.agent.call<{ items: Plan[] }>('GET', '/continuity-plans?overdue=true');
    expect(overdue.body.items.map((plan) => plan.id)).toEqual([planId]);

    // Up: the test passes and the plan is current for a year.
    const requested = await tenant.manager.call<Test>('POST', `/continuity-plans/${planId}/tests`, { body: { kind: 'live' } });
    expect(requested.status).toBe(202);
    const passed = await until(
      () => tenant.agent.call<Test>('GET', `/continuity-tests/${requested.body.id}`),
      (response) => response.body.status === 'passed' || response.body.status === 'failed',
    );
    expect(passed.body).toMatchObject({ status: 'passed', failureReasons: [], improvementItemId: null });
    expect(passed.body.results).toEqual([expect.objectContaining({ stepId: 'health', outcome: 'passed' })]);
    const current = await tenant.agent.call<Plan>('GET', `/continuity-plans/${planId}`);
    expect(current.body).toMatchObject({ status: 'current', lastTestOutcome: 'passed' });
    expect((await tenant.agent.call<{ items: Plan[] }>('GET', '/continuity-plans?overdue=true')).body.items).toEqual([]);

    // A normal low-risk change changes nothing; an emergency change on the service requires a retest.
    const change = {
      tenantId: tenant.tenantId,
      changeId: '01KB0B2C3D4E5F6G7H8J9K0M1N',
      status: 'implemented',
      ciIds: [],
      plannedStart: null,
      plannedEnd: null,
    };
    await putOnBus({
      source: 'itsm.changes',
      detailType: 'ChangeImplemented',
      detail: { ...change, number: 'CHG0001001', type: 'normal', risk: 'low', continuityImpact: false, serviceIds: [serviceId] },
    });
    await putOnBus({
      source: 'itsm.changes',
      detailType: 'ChangeImplemented',
      detail: { ...change, number: 'CHG0001002', type: 'emergency', risk: 'medium', continuityImpact: true, serviceIds: [serviceId] },
    });
    const flagged = await until(
      () => tenant.agent.call<Plan>('GET', `/continuity-plans/${planId}`),
      (response) => response.body.status === 'retest_required',
    );
    expect(flagged.body).toMatchObject({ status: 'retest_required', retestReason: 'emergency change CHG0001002' });
    const events = await eventually(tenant.tenantId, (seen) => seen.some((event) => event['detail-type'] === 'ContinuityPlanRetestRequired'));
    expect(events.filter((event) => event['detail-type'] === 'ContinuityPlanRetestRequired')).toHaveLength(1);
    expect((await tenant.agent.call<{ items: Plan[] }>('GET', '/continuity-plans?overdue=true')).body.items.map((plan) => plan.id)).toEqual([planId]);

    // Down: retried, failed, an action plan with an improvement item and a problem record.
    state.up = false;
    const retest = await tenant.manager.call<Test>('POST', `/continuity-plans/${planId}/tests`, { body: {} });
    const failed = await until(
      () => tenant.agent.call<Test>('GET', `/continuity-tests/${retest.body.id}`),
      (response) => response.body.improvementItemId !== null,
    );
    expect(failed.body).toMatchObject({ status: 'failed', improvementItemId: `${retest.body.id}-IMP`, problemId: `${retest.body.id}-PRB` });
    expect(failed.body.results[0]?.detail).toContain('HTTP 503, expected 200');
    const item = await tenant.agent.call<{ number: string; owner: string; deadline: string; expectedResult: string; problemId: string }>(
      'GET',
      `/improvement-items/${failed.body.improvementItemId}`,
    );
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ number: 'IMP0001001', owner: 'dana@acme.example', problemId: failed.body.problemId });
    const problem = await tenant.agent.call<{ number: string; status: string; source: { kind: string } }>('GET', `/problems/${failed.body.problemId}`);
    expect(problem.body).toMatchObject({ number: 'PRB0001001', status: 'new', source: { kind: 'continuity_test' } });
    expect((await tenant.agent.call<{ items: { id: string }[] }>('GET', '/improvement-items')).body.items.map((entry) => entry.id)).toEqual([
      failed.body.improvementItemId,
    ]);
    expect((await tenant.agent.call<{ items: { id: string }[] }>('GET', '/problems')).body.items.map((entry) => entry.id)).toEqual([failed.body.problemId]);
    const detail = await tenant.agent.call<{ latestTests: { id: string; status: string }[] }>('GET', `/continuity-plans/${planId}`);
    expect(detail.body.latestTests.map((test) => [test.id, test.status])).toEqual([
      [retest.body.id, 'failed'],
      [requested.body.id, 'passed'],
    ]);

    const all = await eventually(tenant.tenantId, (seen) => seen.some((event) => event['detail-type'] === 'ProblemCreated'));
    const types = all.map((event) => event['detail-type']).filter((type) => /^(Continuity|Improvement|Problem)/.test(type));
    expect(types).toEqual(
      expect.arrayContaining([
        'ContinuityTestRequested',
        'ContinuityTestStarted',
        'ContinuityTestPassed',
        'ContinuityTestFailed',
        'ContinuityActionPlanOpened',
        'ImprovementItemOpened',
        'ProblemCreated',
      ]),
    );
  });

  it('a manual step is confirmed over the API with evidence; a second confirmation is refused', async () => {
    const tenant = actorsOf(newTenant('bc'));
    const { serviceId } = await serviceWithServer(tenant);
    const plan = await tenant.manager.call<Plan>('POST', '/continuity-plans', {
      body: planBody(serviceId, [{ id: 'failover', name: 'Promote the replica', kind: 'manual', instructions: 'Promote, then screenshot the console.' }]),
    });
    const test = await tenant.manager.call<Test>('POST', `/continuity-plans/${plan.body.id}/tests`, { body: { kind: 'tabletop' } });
    const early = await tenant.agent.call('POST', `/continuity-tests/${test.body.id}/steps/nope/confirm`, { body: { outcome: 'passed', evidence: 'x' } });
    expect(early.status).toBe(404);
    await until(
      () => tenant.agent.call<Test>('GET', `/continuity-tests/${test.body.id}`),
      (response) => response.body.awaitingConfirmation.includes('failover'),
    );
    const confirmed = await tenant.agent.call('POST', `/continuity-tests/${test.body.id}/steps/failover/confirm`, {
      body: { outcome: 'passed', evidence: 'Replica promoted at 10:02, screenshot in ticket' },
    });
    expect(confirmed.status).toBe(200);
    const done = await until(
      () => tenant.agent.call<Test>('GET', `/continuity-tests/${test.body.id}`),
      (response) => response.body.status === 'passed' || response.body.status === 'failed',
    );
    expect(done.body.status).toBe('passed');
    expect(done.body.results[0]).toMatchObject({
      outcome: 'passed',
      detail: 'Replica promoted at 10:02, screenshot in ticket',
      confirmedBy: tenant.agent.userId,
    });
    const again = await tenant.agent.call('POST', `/continuity-tests/${test.body.id}/steps/failover/confirm`, {
      body: { outcome: 'passed', evidence: 'again' },
    });
    expect(again.status).toBe(409);
  });

  it('export: JSON with contacts and the CIs the service depends on, printable HTML escaped; another tenant gets 404', async () => {
    const tenant = actorsOf(newTenant('bc'));
    const { serviceId, hostId } = await serviceWithServer(tenant);
    const plan = await tenant.manager.call<Plan>('POST', '/continuity-plans', {
      body: planBody(serviceId, [{ id: 'health', name: 'Health <check>', kind: 'probe', url: probeUrl }]),
    });
    const json = await tenant.agent.call<{ plan: { contacts: unknown[] }; service: { name: string }; impactedCis: { id: string; depth: number }[] }>(
      'GET',
      `/continuity-plans/${plan.body.id}/export`,
    );
    expect(json.status).toBe(200);
    expect(json.body.service.name).toBe('Payments <EU>');
    expect(json.body.plan.contacts).toHaveLength(2);
    expect(json.body.impactedCis).toEqual([expect.objectContaining({ id: hostId, depth: 1 })]);

    const html = await fetch(`${inject('apiUrl')}/continuity-plans/${plan.body.id}/export?format=html`, {
      headers: { authorization: `Bearer ${tenant.agent.token}` },
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain('Payments &lt;EU&gt;');
    expect(page).toContain('Health &lt;check&gt;');
    expect(page).toContain('+44 20 7946 0000');
    expect(page).toContain('db-host-1');
    expect(page).not.toContain('<EU>');

    const other = actorsOf(newTenant('bc'));
    expect((await other.agent.call('GET', `/continuity-plans/${plan.body.id}`)).status).toBe(404);
    expect((await other.agent.call('GET', `/continuity-plans/${plan.body.id}/export`)).status).toBe(404);
    expect((await other.manager.call('POST', `/continuity-plans/${plan.body.id}/tests`, { body: {} })).status).toBe(404);
    expect((await tenant.requester.call('GET', `/continuity-plans/${plan.body.id}`)).status).toBe(404);
    // An agent sees the plan but may not test it: 403, after the plan was found.
    expect((await tenant.agent.call('POST', `/continuity-plans/${plan.body.id}/tests`, { body: {} })).status).toBe(403);
  });

  it('a plan needs a business service of the tenant (422), valid steps (400)', async () => {
    const tenant = actorsOf(newTenant('bc'));
    const { serviceId, hostId } = await serviceWithServer(tenant);
    const notService = await tenant.manager.call('POST', '/continuity-plans', {
      body: planBody(hostId, [{ id: 'a', name: 'a', kind: 'manual', instructions: 'x' }]),
    });
    expect(notService.status).toBe(422);
    const duplicate = await tenant.manager.call('POST', '/continuity-plans', {
      body: planBody(serviceId, [
        { id: 'a', name: 'a', kind: 'manual', instructions: 'x' },
        { id: 'a', name: 'b', kind: 'manual', instructions: 'y' },
      ]),
    });
    expect(duplicate.status).toBe(400);
    const ftp = await tenant.manager.call('POST', '/continuity-plans', {
      body: planBody(serviceId, [{ id: 'a', name: 'a', kind: 'probe', url: 'ftp://x.example/' }]),
    });
    expect(ftp.status).toBe(400);
    const rarely = await tenant.manager.call('POST', '/continuity-plans', {
      body: { ...planBody(serviceId, [{ id: 'a', name: 'a', kind: 'manual', instructions: 'x' }]), testFrequencyMonths: 13 },
    });
    expect(rarely.status).toBe(400);
  });

  it('availability of a service from its major incidents, against the plan target', async () => {
    const tenant = actorsOf(newTenant('bc'));
    const { serviceId } = await serviceWithServer(tenant);
    await tenant.manager.call('POST', '/continuity-plans', {
      body: { ...planBody(serviceId, [{ id: 'a', name: 'a', kind: 'manual', instructions: 'x' }]), availabilityTarget: 99.5 },
    });
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const major = await tenant.agent.call<{ id: string; number: string }>('POST', '/incidents', { body: sampleIncident({ serviceId, majorIncident: true }) });
    await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ serviceId }) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await createGroups(tenant, ['service-desk']);
    await tenant.agent.call('POST', `/incidents/${major.body.id}/assign`, { body: { assignmentGroup: 'service-desk' } });
    const resolved = await tenant.agent.call('POST', `/incidents/${major.body.id}/resolve`, { body: { code: 'solved_permanently', notes: 'Failed over.' } });
    expect(resolved.status).toBe(200);
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const report = await tenant.agent.call<{
      outages: number;
      downtimeMinutes: number;
      targetPercent: number;
      targetMet: boolean;
      majorIncidents: { id: string; restoredAt: string | null }[];
    }>('GET', `/cis/${serviceId}/availability?from=${from}&to=${to}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ outages: 1, targetPercent: 99.5, targetMet: true });
    expect(report.body.downtimeMinutes).toBeGreaterThan(0);
    expect(report.body.majorIncidents).toEqual([expect.objectContaining({ id: major.body.id, restoredAt: expect.any(String) })]);
    const backwards = await tenant.agent.call('GET', `/cis/${serviceId}/availability?from=${to}&to=${from}`);
    expect(backwards.status).toBe(400);
  });
});

describe('continuity: a recovery function as an automated step', () => {
  it('invokes the runbook with the test’s identity, passes on the expected answer, fails on a function error or another answer', async () => {
    const tenant = actorsOf(newTenant('bc-fn'));
    const { serviceId } = await serviceWithServer(tenant);
    const calls: Record<string, unknown>[] = [];
    const runbook = { mode: 'restored' as 'restored' | 'partial' | 'crash' };
    const recovery = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      calls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      if (runbook.mode === 'crash') {
        response.writeHead(500).end('disk full');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      // Ten minutes before the stack's business time: other tests move that clock ahead of the system's.
      const recoveredTo = new Date((await stackNow()).getTime() - 10 * 60_000).toISOString();
      response.end(JSON.stringify({ restored: runbook.mode === 'restored', recoveredTo }));
    });
    await new Promise<void>((resolve) => recovery.listen(0, '127.0.0.1', resolve));
    try {
      const name = `itsm-recovery-restore-${tenant.tenantId}`;
      const registered = await localFetch(`/local/lambda/functions/${name}`, tenant.tenantId, {
        method: 'PUT',
        body: JSON.stringify({ url: `http://127.0.0.1:${(recovery.address() as AddressInfo).port}/restore` }),
      });
      expect(registered.status).toBe(200);
      const step = {
        id: 'restore',
        name: 'Restore the payments database',
        kind: 'function',
        functionName: name,
        payload: { snapshot: 'latest' },
        expect: { restored: true },
        timeoutSeconds: 5,
        recoveryPointField: 'recoveredTo',
      };
      const refused = await tenant.manager.call('POST', '/continuity-plans', {
        body: planBody(serviceId, [{ ...step, functionName: 'prod-payments-delete-all' }]),
      });
      expect(refused.status).toBe(400);
      const plan = await tenant.manager.call<Plan>('POST', '/continuity-plans', { body: planBody(serviceId, [step]) });
      expect(plan.status).toBe(201);

      const run = async () => {
        const requested = await tenant.manager.call<Test>('POST', `/continuity-plans/${plan.body.id}/tests`, { body: { kind: 'live' } });
        return until(
          () => tenant.agent.call<Test & { dataLossMinutes: number | null }>('GET', `/continuity-tests/${requested.body.id}`),
          (response) => response.body.status === 'passed' || response.body.status === 'failed',
          40_000,
        );
      };
      const passed = await run();
      expect(passed.body).toMatchObject({ status: 'passed', results: [expect.objectContaining({ stepId: 'restore', outcome: 'passed' })] });
      // The runbook answers `recoveredTo` = its own now − 10 min; the loss is counted from the test's start, seconds earlier on a loaded machine.
      expect(passed.body.dataLossMinutes).toBeCloseTo(10, 0);
      expect(calls[0]).toMatchObject({ snapshot: 'latest', tenantId: tenant.tenantId, testId: passed.body.id, stepId: 'restore' });

      runbook.mode = 'partial';
      const partial = await run();
      expect(partial.body.status).toBe('failed');
      expect(partial.body.results[0]?.outcome).toBe('failed');
      expect(JSON.stringify(partial.body.results[0])).toContain('restored: false, expected true');

      runbook.mode = 'crash';
      const crashed = await run();
      expect(crashed.body.status).toBe('failed');
      expect(JSON.stringify(crashed.body.results[0])).toContain('function error');
    } finally {
      await new Promise<void>((resolve) => recovery.close(() => resolve()));
    }
  }, 120_000);
});

describe('continuity: probe URLs and the outbound guard', () => {
  it('answers 422 naming the step for a probe URL that reaches a private address, and writes no plan', async () => {
    const tenant = actorsOf(newTenant('bc-ssrf'));
    const { serviceId } = await serviceWithServer(tenant);
    const internal = `dr-${Math.random().toString(36).slice(2, 10)}.probes.test`;
    resolveInTests(internal, ['10.20.30.40']);
    const manual = { id: 'call', name: 'Call the DR lead', kind: 'manual', instructions: 'Phone them.' };
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/health',
      'https://[fd00::1]/health',
      'https://0.0.0.0/health',
      `https://${internal}/health`,
    ]) {
      const refused = await tenant.manager.call<{ field: string }>('POST', '/continuity-plans', {
        body: planBody(serviceId, [manual, { id: 'health', name: 'Health', kind: 'probe', url }]),
      });
      expect(refused.status, url).toBe(422);
      expect(refused.body.field, url).toBe('steps.1.url');
    }
    expect((await tenant.manager.call<{ items: unknown[] }>('GET', '/continuity-plans')).body.items).toEqual([]);
  });
});
