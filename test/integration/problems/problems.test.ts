/**
 * Problem management over HTTP on the local stack: five incidents on VMs
 * that run on one host propose one problem linked to all five (trend
 * detection through the CMDB graph, as a bus consumer); no second proposal
 * for the cluster; an agent accepts it, assesses it, records the root
 * cause and publishes the known error; the life cycle refuses what it must
 * (409, 412, 422); incidents link both ways; another tenant sees 404.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actorsOf, createGroups, eventually, newTenant, pollUntil, sampleIncident } from '../api-client.js';

type Problem = {
  id: string;
  number: string;
  status: string;
  priority: number | null;
  frequencyBand: number | null;
  title: string;
  incidents: { id: string; ciId: string }[];
  ciIds: string[];
  source: { kind: string; clusterCiId?: string; sharedDependency?: boolean };
  rootCause: { method: string } | null;
  knownError: { workaround: string; status: string } | null;
  allowedActions: string[];
  version: number;
};

describe('problems and trend detection', () => {
  const acme = actorsOf(newTenant('prb'));
  const other = actorsOf(newTenant('prb-other'));
  const ci: Record<string, string> = {};

  const createCi = async (key: string, body: Record<string, unknown>) => {
    const response = await acme.agent.call<{ id: string }>('POST', '/cis', { body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ci[key] = response.body.id;
  };

  beforeAll(async () => {
    // Incidents are dispatched only to groups that exist.
    await createGroups(acme, ['network-ops']);
    await createCi('host', { class: 'server', name: 'esx-host-07' });
    for (const n of [1, 2, 3, 4, 5, 6]) {
      await createCi(`vm${n}`, { class: 'virtual_machine', name: `vm-${n}` });
      const related = await acme.agent.call('POST', `/cis/${ci[`vm${n}`]}/relationships`, { body: { type: 'runs_on', targetId: ci.host } });
      expect(related.status).toBe(201);
    }
  });

  const proposals = () => acme.agent.call<{ items: { id: string; title: string }[] }>('GET', '/problems?status=proposed');

  it('five incidents on VMs under one host propose one problem linked to all five; an agent takes it to a known error', async () => {
    const incidents: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const created = await acme.agent.call<{ id: string }>('POST', '/incidents', {
        body: sampleIncident({ title: `vm-${n} unreachable`, ciId: ci[`vm${n}`] }),
      });
      expect(created.status).toBe(201);
      incidents.push(created.body.id);
    }
    const listed = await pollUntil(proposals, (page) => page.body.items.length > 0);
    expect(listed.body.items).toHaveLength(1);
    const id = listed.body.items[0]?.id as string;
    let problem = (await acme.agent.call<Problem>('GET', `/problems/${id}`)).body;
    // The fifth incident's event may be handled before the fourth's: wait until all five are in.
    problem = (
      await pollUntil(
        () => acme.agent.call<Problem>('GET', `/problems/${id}`),
        (response) => response.body.incidents.length === 5,
      )
    ).body;
    expect(problem).toMatchObject({ status: 'proposed', source: { kind: 'trend', clusterCiId: ci.host, sharedDependency: true } });
    expect(problem.ciIds[0]).toBe(ci.host);
    expect(problem.title).toContain('esx-host-07');
    expect(problem.incidents.map((incident) => incident.id).sort()).toEqual([...incidents].sort());
    expect(problem.allowedActions).toEqual(['accept', 'dismiss', 'cancel']);

    // Linked both ways: the incident knows its problem.
    const links = await acme.agent.call<{ items: { problemId: string }[] }>('GET', `/incidents/${incidents[0]}/problems`);
    expect(links.body.items.map((link) => link.problemId)).toEqual([id]);

    // A sixth incident in the cluster joins the proposal instead of proposing again.
    const sixth = await acme.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ ciId: ci.vm6 }) });
    problem = (
      await pollUntil(
        () => acme.agent.call<Problem>('GET', `/problems/${id}`),
        (response) => response.body.incidents.length === 6,
      )
    ).body;
    expect(problem.incidents.map((incident) => incident.id)).toContain(sixth.body.id);
    expect((await proposals()).body.items).toHaveLength(1);

    // The life cycle: accept, assess (priority from impact × frequency), analyse, root cause, known error.
    const stale = await acme.agent.call('POST', `/problems/${id}/accept`, { body: {}, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const early = await acme.agent.call('POST', `/problems/${id}/known-error`, { body: { symptoms: 'x', workaround: 'y' } });
    expect(early.status).toBe(409);
    expect((await acme.agent.call<Problem>('POST', `/problems/${id}/accept`, { body: {} })).body.status).toBe('new');
    const assessed = await acme.agent.call<Problem>('POST', `/problems/${id}/assess`, { body: { impact: 2 } });
    expect(assessed.body).toMatchObject({ status: 'assessed', frequencyBand: 2, priority: 2 });
    const rootCause = await acme.agent.call<Problem>('POST', `/problems/${number(problem)}/root-cause`, {
      body: {
        method: 'five_whys',
        summary: 'The host NIC firmware drops the uplink under load',
        findings: ['VMs lose network', 'the host uplink flaps', 'NIC firmware 1.2 has a known defect'],
        contributingCiIds: [ci.host],
      },
    });
    expect(rootCause.status, JSON.stringify(rootCause.body)).toBe(200);
    expect(rootCause.body).toMatchObject({ status: 'root_cause_analysis', rootCause: { method: 'five_whys' } });
    const published = await acme.agent.call<Problem>('POST', `/problems/${id}/known-error`, {
      body: { symptoms: 'VMs on esx-host-07 unreachable for a few minutes', workaround: 'vMotion the VM to esx-host-08 until the firmware is upgraded' },
    });
    expect(published.body).toMatchObject({ status: 'known_error', knownError: { status: 'active' } });
    // A new incident on a VM of that host is offered the workaround, at once (the known error is recorded by CI in the same transaction).
    await createCi('vm7', { class: 'virtual_machine', name: 'vm-7' });
    await acme.agent.call('POST', `/cis/${ci.vm7}/relationships`, { body: { type: 'runs_on', targetId: ci.host } });
    const next = await acme.agent.call<{ id: string; suggestions: { knownErrors: { problemId: string; workaround: string; matchedCiId: string }[] } }>(
      'POST',
      '/incidents',
      {
        body: sampleIncident({ title: 'vm-7 unreachable', ciId: ci.vm7 }),
      },
    );
    expect(next.status).toBe(201);
    expect(next.body.suggestions.knownErrors).toEqual([
      expect.objectContaining({ problemId: id, matchedCiId: ci.host, workaround: expect.stringContaining('vMotion') }),
    ]);
    const onPage = await acme.agent.call<{ knownErrors: { problemId: string }[] }>('GET', `/incidents/${next.body.id}/suggestions`);
    expect(onPage.body.knownErrors.map((entry) => entry.problemId)).toEqual([id]);
    // Requesters are not offered known errors.
    const own = await acme.requester.call<{ suggestions: { knownErrors: unknown[] } }>('POST', '/incidents', { body: sampleIncident({ ciId: ci.vm7 }) });
    expect(own.body.suggestions.knownErrors).toEqual([]);
    // Resolving with the known error is recorded on the incident.
    await acme.agent.call('POST', `/incidents/${next.body.id}/assign`, { body: { assignmentGroup: 'network-ops' } });
    const resolved = await acme.agent.call<{ resolution: { knowledge: { kind: string; number: string } } }>('POST', `/incidents/${next.body.id}/resolve`, {
      body: { code: 'solved_workaround', notes: 'moved to esx-host-08', knowledge: { kind: 'known_error', id: problem.number } },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.resolution.knowledge).toMatchObject({ kind: 'known_error', number: problem.number });

    // Resolving needs a real change.
    const noChange = await acme.agent.call('POST', `/problems/${id}/resolve`, { body: { changeId: '01KB0000000000000000000000', notes: 'firmware' } });
    expect(noChange.status).toBe(422);

    const history = await acme.agent.call<{ items: { action: string }[] }>('GET', `/problems/${id}/history`);
    // Incidents on vm-7 (same host) join the problem meanwhile: later entries link them.
    expect(new Set(history.body.items.slice(6).map((entry) => entry.action))).toEqual(new Set(history.body.items.length > 6 ? ['link-incidents'] : []));
    expect(history.body.items.slice(0, 6).map((entry) => entry.action)).toEqual([
      'propose',
      'link-incidents',
      'accept',
      'assess',
      'record-root-cause',
      'publish-known-error',
    ]);
    const events = await eventually(acme.tenantId, (seen) => seen.some((event) => event['detail-type'] === 'KnownErrorPublished'));
    const types = events.map((event) => event['detail-type']);
    expect(types.filter((type) => type === 'ProblemProposed')).toHaveLength(1);
    expect(types).toEqual(
      expect.arrayContaining(['ProblemIncidentsLinked', 'ProblemAccepted', 'ProblemAssessed', 'ProblemRootCauseIdentified', 'KnownErrorPublished']),
    );

    // Another tenant sees nothing.
    expect((await other.agent.call('GET', `/problems/${id}`)).status).toBe(404);
    expect((await other.agent.call('POST', `/problems/${id}/cancel`, { body: { reason: 'x' } })).status).toBe(404);
    expect((await other.agent.call<{ items: unknown[] }>('GET', '/problems')).body.items).toEqual([]);
  });

  it('agents raise problems from incidents; requesters cannot see problems; bad input is refused', async () => {
    const incident = await acme.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    const raised = await acme.agent.call<Problem>('POST', '/problems', {
      body: { title: 'Mail delays', description: 'Queues back up at 09:00', incidentIds: [incident.body.id], impact: 3 },
      headers: { 'idempotency-key': 'prb-raise-1' },
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body).toMatchObject({ status: 'assessed', source: { kind: 'incidents' }, frequencyBand: 4, priority: 4 });
    const replay = await acme.agent.call<Problem>('POST', '/problems', {
      body: { title: 'Mail delays', description: 'Queues back up at 09:00', incidentIds: [incident.body.id], impact: 3 },
      headers: { 'idempotency-key': 'prb-raise-1' },
    });
    expect(replay.body.id).toBe(raised.body.id);
    const missing = await acme.agent.call('POST', '/problems', { body: { title: 'x', description: 'y', incidentIds: ['01KB0000000000000000000000'] } });
    expect(missing.status).toBe(422);
    expect((await acme.requester.call('GET', `/problems/${raised.body.id}`)).status).toBe(404);
    const cancelled = await acme.agent.call<Problem>('POST', `/problems/${raised.body.id}/cancel`, { body: { reason: 'duplicate of the network problem' } });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await acme.agent.call('POST', `/problems/${raised.body.id}/incidents`, { body: { incidentIds: [incident.body.id] } })).status).toBe(409);
  });
});

function number(problem: { number: string }): string {
  return problem.number;
}
