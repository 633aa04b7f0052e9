/**
 * Change management over HTTP against the local stack: the approval
 * workflow runs in the local Step Functions runner, started and answered
 * through the outbox and the `ChangeWorkflow` rule, exactly as in AWS.
 */
import { describe, expect, inject, it } from 'vitest';
import { actorsOf, pollUntil as eventually, newTenant, request, stackNow, tokenFor } from '../api-client.js';

type Change = {
  id: string;
  number: string;
  status: string;
  version: number;
  awaiting: { kind: string; level: number | null; answered: boolean } | null;
  approval: { status: string; currentLevel: number; decisions: { approverId: string }[]; levels: { outcome: string; required: number }[] } | null;
  allowedActions: string[];
  [key: string]: unknown;
};

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A normal change whose window opens a second from the stack's business time (windows in the past are refused). */
async function normalChange(overrides: Record<string, unknown> = {}) {
  const start = (await stackNow()).getTime() + 1_000;
  return {
    type: 'normal',
    title: 'Upgrade PostgreSQL 15 → 16 on db-01',
    description: 'Major version upgrade with pg_upgrade.',
    justification: 'Version 15 leaves vendor support next year.',
    category: 'database',
    implementationPlan: 'Stop writers, pg_upgrade --link, start, analyse.',
    testPlan: 'Smoke tests of the payments service; replication lag < 1 s.',
    backoutPlan: 'Start the old cluster from the untouched data directory.',
    ciIds: ['db-01'],
    serviceIds: ['payments'],
    plannedStart: iso(start),
    plannedEnd: iso(start + HOUR),
    ...overrides,
  };
}

const LOW_RISK = { 'users-affected': 'team', complexity: 'moderate', tested: 'yes', backout: 'proven', outage: 'window' };

describe('change management over HTTP', () => {
  const tenant = newTenant('chg');
  const acme = actorsOf(tenant);
  const cab = ['cab-1', 'cab-2', 'cab-3'].map((userId) => {
    const token = tokenFor(tenant, userId, ['agent']);
    return { userId, call: <T = Change>(method: string, path: string, body?: unknown) => request<T>(method, path, { token, ...(body ? { body } : {}) }) };
  });

  it('a normal change needing 2 of 3 CAB approvals: approved by two, not twice by one, not by its requester; scheduled, implemented, closed', async () => {
    // Prepare: a one-level CAB policy, 2 of 3 named approvers
    const policy = await acme.admin.call('PUT', '/settings/change-approval', {
      body: {
        settings: {
          normal: {
            levels: [{ name: 'CAB', approvers: { users: cab.map((member) => member.userId) }, rule: { kind: 'count', required: 2 } }],
            timeoutHours: 48,
            onTimeout: 'expire',
          },
          emergency: {
            levels: [{ name: 'ECAB', approvers: { roles: ['manager'] }, rule: { kind: 'count', required: 1 } }],
            timeoutHours: 2,
            onTimeout: 'escalate',
          },
          freezeOverride: { name: 'Freeze override', approvers: { roles: ['tenant-admin'] }, rule: { kind: 'count', required: 1 } },
        },
      },
    });
    expect(policy.status).toBe(200);

    // Act: raise, submit, assess
    const created = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange() });
    expect(created.status).toBe(201);
    expect(created.body.number).toMatch(/^CHG\d{7}$/);
    const id = created.body.id;
    const submitted = await acme.agent.call<Change>('POST', `/changes/${id}/submit`, { headers: { 'if-match': '"1"' } });
    expect(submitted.body.status).toBe('assess');
    const assessed = await acme.agent.call<Change>('POST', `/changes/${id}/assess`, {
      body: {
        impact: 'Payments read-only for 10 minutes',
        resources: 'One DBA',
        riskAnswers: LOW_RISK,
        continuityImpact: true,
        continuityPlanIds: ['bcp-payments'],
      },
    });
    expect(assessed.status).toBe(200);
    expect(assessed.body).toMatchObject({ status: 'authorise', risk: 'medium', riskScore: 5, continuityImpact: true });

    // A change of the same CI in an overlapping window is refused while this one is being authorised
    const early = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ title: 'Resize db-01' }) });
    const earlyRefusal = await acme.agent.call<{ conflicts: { kind: string; number?: string }[] }>('POST', `/changes/${early.body.id}/submit`);
    expect(earlyRefusal.status).toBe(409);
    expect(earlyRefusal.body.conflicts).toEqual([expect.objectContaining({ kind: 'ci_overlap', number: created.body.number })]);

    // The workflow asks the CAB (the advancer started it from ChangeAssessed)
    const asked = await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${id}`),
      (response) => response.body.awaiting?.kind === 'approval',
    );
    expect(asked.body.awaiting).toMatchObject({ kind: 'approval', level: 1, answered: false });

    // Assess: the requester may not vote; a CAB member votes once only
    const own = await acme.agent.call('POST', `/changes/${id}/approvals`, { body: { decision: 'approve' } });
    expect(own.status).toBe(403);
    const outsider = await acme.manager.call('POST', `/changes/${id}/approvals`, { body: { decision: 'approve' } });
    expect(outsider.status).toBe(403);
    const first = await cab[0]?.call('POST', `/changes/${id}/approvals`, { decision: 'approve', comment: 'Backout is solid.' });
    expect(first?.status).toBe(200);
    expect(first?.body.approval).toMatchObject({ status: 'pending', currentLevel: 1 });
    const twice = await cab[0]?.call('POST', `/changes/${id}/approvals`, { decision: 'approve' });
    expect(twice?.status).toBe(409);
    const second = await cab[1]?.call('POST', `/changes/${id}/approvals`, { decision: 'approve' });
    expect(second?.status).toBe(200);
    expect(second?.body.approval).toMatchObject({ status: 'approved', levels: [{ outcome: 'approved', required: 2 }] });
    const late = await cab[2]?.call('POST', `/changes/${id}/approvals`, { decision: 'reject' });
    expect(late?.status).toBe(409);

    // Scheduled, then handed over for implementation (its window has begun)
    const implementing = await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${id}`),
      (response) => response.body.status === 'implement' && response.body.awaiting?.kind === 'implementation',
    );
    expect(implementing.body.status).toBe('implement');
    expect(implementing.body.scheduledAt).toEqual(expect.any(String));

    // A second change on the same CI in an overlapping window is refused with the reason
    const rival = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ title: 'Tune db-01 vacuum' }) });
    const refused = await acme.agent.call<{ conflicts: { kind: string; number?: string }[] }>('POST', `/changes/${rival.body.id}/submit`);
    expect(refused.status).toBe(409);
    expect(refused.body.conflicts).toEqual([expect.objectContaining({ kind: 'ci_overlap', ciId: 'db-01', number: created.body.number })]);
    const unchanged = await acme.agent.call<Change>('GET', `/changes/${rival.body.id}`);
    expect(unchanged.body).toMatchObject({ status: 'new', version: 1 });

    // A pipeline may not deploy to db-01 meanwhile
    const gate = await acme.agent.call<{ answer: string; reasons: { kind: string }[] }>('GET', '/changes/can-deploy?ci=db-01');
    expect(gate.body).toMatchObject({ answer: 'no', reasons: [expect.objectContaining({ kind: 'ci_overlap' })] });
    const ownGate = await acme.agent.call<{ answer: string }>('GET', `/changes/can-deploy?ci=db-01&change=${id}`);
    expect(ownGate.body.answer).toBe('yes');

    // Implemented, reviewed, closed
    const implemented = await acme.agent.call<Change>('POST', `/changes/${id}/implementation`, {
      body: { result: 'success', notes: 'Upgrade done in 7 minutes.' },
    });
    expect(implemented.body.status).toBe('review');
    const closed = await acme.manager.call<Change>('POST', `/changes/${id}/close`, { body: { notes: 'No incident; lessons: none.' } });
    expect(closed.body).toMatchObject({ status: 'closed', rolledBack: false, allowedActions: [] });

    // The audit trail tells the whole story, workflow steps included
    const history = await acme.agent.call<{ items: { action: string; actorId: string }[] }>('GET', `/changes/${id}/history`);
    expect(history.body.items.map((entry) => entry.action)).toEqual([
      'create',
      'submit',
      'assess',
      'request_approval',
      'approve',
      'approve',
      'schedule',
      'start',
      'complete',
      'close',
    ]);
    expect(history.body.items.filter((entry) => entry.actorId === 'change-workflow').map((entry) => entry.action)).toEqual([
      'request_approval',
      'schedule',
      'start',
    ]);
  });

  it('a release over the closed change: pilot, full, completed; success rates over the period', async () => {
    const closed = await acme.agent.call<{ items: Change[] }>('GET', '/changes?status=closed');
    const done = closed.body.items[0];
    expect(done).toBeDefined();
    const refused = await acme.agent.call('POST', '/releases', {
      body: await release([(await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ ciIds: ['x-1'] }) })).body.id]),
    });
    expect(refused.status).toBe(422);
    // Two CIs in the CMDB: the release writes the version they now run
    const [web1, web2] = await Promise.all(
      ['web-1', 'web-2'].map(async (name) => (await acme.agent.call<{ id: string }>('POST', '/cis', { body: { class: 'server', name } })).body.id),
    );
    const body = await release([done?.id as string], [web1 as string, web2 as string]);
    const created = await acme.agent.call<{ id: string; number: string; status: string; ciIds: string[] }>('POST', '/releases', {
      body,
      headers: { 'idempotency-key': 'rel-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'planned', ciIds: [web1, web2, 'db-01'] });
    expect(created.body.number).toMatch(/^REL\d{7}$/);
    const replay = await acme.agent.call<{ id: string }>('POST', '/releases', { body, headers: { 'idempotency-key': 'rel-1' } });
    expect(replay.body.id).toBe(created.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const outOfOrder = await acme.agent.call('POST', `/releases/${created.body.number}/deploy`, { body: { stage: 'full' } });
    expect(outOfOrder.status).toBe(409);
    expect((await acme.agent.call('POST', `/releases/${created.body.id}/deploy`, { body: { stage: 'pilot' }, headers: { 'if-match': '"1"' } })).status).toBe(
      200,
    );
    expect((await acme.agent.call('POST', `/releases/${created.body.id}/deploy`, { body: { stage: 'full' }, headers: { 'if-match': '"1"' } })).status).toBe(
      412,
    );
    expect((await acme.agent.call('POST', `/releases/${created.body.id}/deploy`, { body: { stage: 'full' } })).status).toBe(200);
    const completed = await acme.manager.call<{ status: string; result: string; allowedActions: string[] }>('POST', `/releases/${created.body.id}/complete`, {
      body: { result: 'success', report: 'Deployed to all nodes.' },
    });
    expect(completed.body).toMatchObject({ status: 'completed', result: 'success', allowedActions: [] });
    // The CMDB follows (rule ReleaseCiVersions); db-01 is not in the CMDB and is skipped
    for (const ciId of [web1, web2]) {
      const ci = await eventually(
        () => acme.agent.call<{ ciVersion: string | null }>('GET', `/cis/${ciId}`),
        (response) => response.body.ciVersion === '2.4.0',
      );
      expect(ci.body.ciVersion).toBe('2.4.0');
    }

    const from = iso((await stackNow()).getTime() - 24 * HOUR);
    const to = iso((await stackNow()).getTime() + 24 * HOUR);
    const metrics = await acme.agent.call<{
      changes: { total: number; rolledBack: number; successRate: number };
      releases: { total: number; successRate: number };
    }>('GET', `/change-metrics?from=${from}&to=${to}`);
    expect(metrics.status).toBe(200);
    expect(metrics.body.changes).toEqual({ total: 1, rolledBack: 0, successRate: 1 });
    expect(metrics.body.releases).toEqual({ total: 1, rolledBack: 0, successRate: 1 });
  });

  it('refuses a change into a freeze with the reason, answers the calendar as JSON and iCalendar, and lets a pipeline ask', async () => {
    // Midnight UTC ten days ahead, so the window hours below are known.
    const day = Math.floor((await stackNow()).getTime() / (24 * HOUR)) * 24 * HOUR + 10 * 24 * HOUR;
    const put = await acme.admin.call('PUT', '/settings/change-calendar', {
      body: {
        settings: {
          blackouts: [{ id: 'year-end', name: 'Year-end freeze', start: iso(day), end: iso(day + 48 * HOUR), serviceIds: ['billing'] }],
          maintenanceWindows: [
            {
              id: 'app-nightly',
              name: 'app-02 nightly',
              target: { kind: 'ci', id: 'app-02' },
              calendar: { timeZone: 'UTC', week: everyDay('01:00', '05:00') },
            },
          ],
        },
      },
    });
    expect(put.status).toBe(200);
    const frozen = await acme.agent.call<Change>('POST', '/changes', {
      body: await normalChange({ ciIds: ['app-02'], serviceIds: ['billing'], plannedStart: iso(day + 12 * HOUR), plannedEnd: iso(day + 13 * HOUR) }),
    });
    const refused = await acme.agent.call<{ conflicts: { kind: string }[] }>('POST', `/changes/${frozen.body.id}/submit`);
    expect(refused.status).toBe(409);
    expect(refused.body.conflicts.map((conflict) => conflict.kind).sort()).toEqual(['blackout', 'outside_maintenance_window']);

    const from = iso(day - 24 * HOUR);
    const to = iso(day + 24 * HOUR);
    const calendar = await acme.agent.call<{ entries: { kind: string; id: string }[] }>('GET', `/change-calendar?from=${from}&to=${to}`);
    expect(calendar.status).toBe(200);
    expect(calendar.body.entries.filter((entry) => entry.kind === 'blackout').map((entry) => entry.id)).toEqual(['year-end']);
    expect(calendar.body.entries.filter((entry) => entry.kind === 'maintenance_window')).toHaveLength(2);
    const feed = await fetch(`${inject('apiUrl')}/change-calendar?from=${from}&to=${to}&format=ics`, {
      headers: { authorization: `Bearer ${tokenFor(tenant, 'ics-reader', ['agent'])}` },
    });
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    const text = await feed.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(text).toContain('SUMMARY:Freeze: Year-end freeze');

    const inFreeze = await acme.agent.call<{ answer: string; reasons: { kind: string }[] }>(
      'GET',
      `/changes/can-deploy?ci=app-02&service=billing&at=${encodeURIComponent(iso(day + 3 * HOUR))}`,
    );
    expect(inFreeze.body.answer).toBe('no');
    expect(inFreeze.body.reasons.map((reason) => reason.kind)).toContain('blackout');
  });

  it('the workflow in the local stack: a cancel stops it; a failed implementation is rolled back by it', async () => {
    const cancelled = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ ciIds: ['cache-01'] }) });
    const id = cancelled.body.id;
    await acme.agent.call('POST', `/changes/${id}/submit`);
    await acme.agent.call('POST', `/changes/${id}/assess`, { body: { impact: 'none', resources: 'one', riskAnswers: LOW_RISK, continuityImpact: false } });
    await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${id}`),
      (response) => response.body.awaiting?.kind === 'approval',
    );
    expect((await execution(id)).status).toBe('RUNNING');
    const cancel = await acme.agent.call<Change>('POST', `/changes/${id}/cancel`, { body: { reason: 'Superseded by CHG-next' } });
    expect(cancel.body).toMatchObject({ status: 'cancelled', awaiting: null, allowedActions: [] });
    const stopped = await eventually(
      () => execution(id),
      (described) => described.status !== 'RUNNING',
    );
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'ChangeCancelled' });

    // An emergency change approved by a manager, implemented, failed: the workflow's rollback step marks it
    const emergency = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ type: 'emergency', ciIds: ['cache-02'] }) });
    const eid = emergency.body.id;
    expect((await acme.agent.call<Change>('POST', `/changes/${eid}/submit`)).body.status).toBe('authorise');
    await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${eid}`),
      (response) => response.body.awaiting?.kind === 'approval',
    );
    expect((await acme.manager.call('POST', `/changes/${eid}/approvals`, { body: { decision: 'approve' } })).status).toBe(200);
    await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${eid}`),
      (response) => response.body.awaiting?.kind === 'implementation',
    );
    const failed = await acme.agent.call<Change>('POST', `/changes/${eid}/implementation`, { body: { result: 'failed', notes: 'Cache warm-up failed.' } });
    expect(failed.body.status).toBe('rollback');
    const reviewed = await eventually(
      () => acme.agent.call<Change>('GET', `/changes/${eid}`),
      (response) => response.body.status === 'review',
    );
    expect(reviewed.body).toMatchObject({ status: 'review', rolledBack: true, implementation: { result: 'failed' } });
    expect(
      await eventually(
        () => execution(eid),
        (described) => described.status !== 'RUNNING',
      ),
    ).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('a create retried with the same Idempotency-Key yields one change', async () => {
    const body = await normalChange({ ciIds: ['idem-01'] });
    const [first, second] = await Promise.all([
      acme.agent.call<Change>('POST', '/changes', { body, headers: { 'idempotency-key': 'chg-idem-1' } }),
      acme.agent.call<Change>('POST', '/changes', { body, headers: { 'idempotency-key': 'chg-idem-1' } }),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    const other = await acme.agent.call('POST', '/changes', { body: { ...body, title: 'Something else' }, headers: { 'idempotency-key': 'chg-idem-1' } });
    expect(other.status).toBe(422);
  });

  it('another tenant sees none of it', async () => {
    const other = actorsOf(newTenant('chg-other'));
    const mine = await acme.agent.call<Change>('POST', '/changes', { body: await normalChange({ ciIds: ['db-99'] }) });
    expect((await other.admin.call('GET', `/changes/${mine.body.id}`)).status).toBe(404);
    expect((await other.admin.call('POST', `/changes/${mine.body.id}/approvals`, { body: { decision: 'approve' } })).status).toBe(404);
    // Requesters never see changes: the record does not exist for them (404, as for any id).
    expect((await acme.requester.call('GET', `/changes/${mine.body.id}`)).status).toBe(404);
  });
});

/** DescribeExecution of the change's workflow on the local Step Functions endpoint (AWS JSON protocol). */
async function execution(changeId: string): Promise<{ status: string; error?: string }> {
  const response = await fetch(`${inject('apiUrl')}/local/stepfunctions`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn: `arn:aws:states:us-east-1:000000000000:execution:itsm-local-change-approval:${changeId}` }),
  });
  return (await response.json()) as { status: string; error?: string };
}

/** A release planned from the stack's business time, so the success-rate period (stated in it too) holds it. */
async function release(changeIds: string[], ciIds = ['web-01', 'web-02']) {
  const start = (await stackNow()).getTime();
  return {
    title: 'Payments 2.4',
    description: 'Database upgrade and the new client.',
    softwareVersion: '2.4.0',
    changeIds,
    deploymentPlan: [
      { name: 'pilot', ciIds: ciIds.slice(0, 1) },
      { name: 'full', ciIds: ciIds.slice(1) },
    ],
    rollbackPlan: 'Redeploy 2.3.9.',
    plannedStart: iso(start),
    plannedEnd: iso(start + HOUR),
  };
}

function everyDay(start: string, end: string) {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
}
