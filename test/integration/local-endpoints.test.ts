/**
 * The local server's own robustness: a path it cannot decode and a body
 * that is not JSON are 400 problem+json (not a 502 from a crash), and the
 * developer endpoints under `/local/` need a dev token and show only that
 * token's tenant. The AWS service stand-ins and the JWKS stay open to the
 * SDK clients and the authorizer, as their AWS originals are.
 */
import { describe, expect, inject, it } from 'vitest';
import {
  actorsOf,
  type BusEvent,
  eventually,
  type LocalExecutionView,
  localExecutions,
  localFetch,
  newTenant,
  pollUntil,
  request,
  sampleIncident,
  stackNow,
} from './api-client.js';

const HOUR = 3_600_000;

const url = (path: string) => `${inject('apiUrl')}${path}`;

async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:itsm:problem:/) });
  return problem;
}

describe('malformed requests to the local server', () => {
  const tenant = actorsOf(newTenant('malformed'));

  it.each(['/incidents/%ZZ', '/incidents/%E0%A4%A', '/incidents/abc%'])('GET %s answers 400 problem+json', async (path) => {
    const response = await fetch(url(path), { headers: { authorization: `Bearer ${tenant.agent.token}` } });

    const problem = await expectProblem(response, 400);
    expect(problem.type).toBe('urn:itsm:problem:validation-error');
  });

  it.each([
    ['POST', '/local/clock', {}],
    ['POST', '/local/event-bus/faults', {}],
    ['PUT', '/local/lambda/functions/itsm-recovery-x', {}],
  ])('%s %s with a body that is not JSON answers 400 problem+json', async (method, path) => {
    for (const body of ['not json', '{"unterminated"', '[1,2]', '42', 'null']) {
      await expectProblem(await localFetch(path, tenant.tenantId, { method, body }), 400);
    }
  });

  it.each([
    ['/local/eventbridge', { 'x-amz-target': 'AWSEvents.PutEvents' }],
    ['/local/stepfunctions', { 'x-amz-target': 'AWSStepFunctions.DescribeExecution' }],
    ['/local/scheduler/schedules/bad-body', {}],
  ])('POST %s (an AWS stand-in) with a body that is not JSON answers 400 problem+json', async (path, headers) => {
    await expectProblem(await fetch(url(path), { method: 'POST', headers, body: 'not json' }), 400);
  });
});

describe('the /local/ developer endpoints', () => {
  it.each([
    ['GET', '/local/events.json'],
    ['GET', '/local/events'],
    ['GET', '/local/stepfunctions/executions'],
    ['GET', '/local/clock'],
    ['POST', '/local/clock'],
    ['GET', '/local/event-bus/faults'],
    ['POST', '/local/event-bus/faults'],
    ['PUT', '/local/lambda/functions/itsm-recovery-x'],
  ])('%s %s without a dev token (or with a bad one) answers 401', async (method, path) => {
    await expectProblem(await fetch(url(path), { method }), 401);
    await expectProblem(await fetch(url(path), { method, headers: { authorization: 'Bearer not-a-token' } }), 401);
  });

  it('an unknown /local/ path answers 404 problem+json', async () => {
    await expectProblem(await localFetch('/local/nothing-here', newTenant()), 404);
  });

  it("show only the dev token's tenant: events (whatever ?tenantId= says) and workflow executions", async () => {
    const mine = actorsOf(newTenant('mine'));
    const theirs = actorsOf(newTenant('theirs'));
    const create = (tenant: typeof mine) => tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    const [own, other] = [await create(mine), await create(theirs)];
    expect([own.status, other.status]).toEqual([201, 201]);
    await eventually(theirs.tenantId, (events) => events.some((event) => event.detail.incidentId === other.body.id));
    await eventually(mine.tenantId, (events) => events.some((event) => event.detail.incidentId === own.body.id));

    const asked = await localFetch(`/local/events.json?tenantId=${theirs.tenantId}`, mine.tenantId);
    const { items } = (await asked.json()) as { items: BusEvent[] };
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((event) => event.detail.tenantId))).toEqual(new Set([mine.tenantId]));

    // A submitted change starts its approval workflow at once (an incident's escalation sleeps in a schedule).
    const now = (await stackNow()).getTime();
    const submitted = async (tenant: typeof mine) => {
      const host = await tenant.agent.call<{ id: string }>('POST', '/cis', { body: { class: 'server', name: 'db-host-1' } });
      const change = await tenant.agent.call<{ id: string }>('POST', '/changes', {
        body: {
          type: 'standard',
          templateId: 'os-patch',
          title: 'Patch a host',
          description: 'Monthly patch.',
          justification: 'Security fixes.',
          ciIds: [host.body.id],
          serviceIds: [],
          plannedStart: new Date(now + 24 * HOUR).toISOString(),
          plannedEnd: new Date(now + 25 * HOUR).toISOString(),
        },
      });
      expect(change.status).toBe(201);
      expect((await tenant.agent.call('POST', `/changes/${change.body.id}/submit`)).status).toBe(200);
      return change.body.id;
    };
    const [ownChange, otherChange] = [await submitted(mine), await submitted(theirs)];
    const runs = (found: LocalExecutionView[], changeId: string) => found.some((execution) => execution.input.includes(changeId));
    const executions = await pollUntil(
      () => localExecutions(mine.tenantId),
      (found) => runs(found, ownChange),
    );
    expect(runs(executions, ownChange)).toBe(true);
    expect(runs(executions, otherChange)).toBe(false);
    // The other tenant's run exists: it is filtered out, not missing.
    expect(
      runs(
        await pollUntil(
          () => localExecutions(theirs.tenantId),
          (found) => runs(found, otherChange),
        ),
        otherChange,
      ),
    ).toBe(true);
  });

  it('the JWKS stays public: the authorizer reads it as it reads Cognito’s', async () => {
    const response = await fetch(url('/local/jwks.json'));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });

  it('the API itself is unchanged: a bad token there is still the gateway 401', async () => {
    expect((await request('GET', '/incidents', { token: 'nope' })).status).toBe(401);
  });
});
