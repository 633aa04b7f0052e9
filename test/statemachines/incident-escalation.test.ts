/**
 * The SLA watch on every path: the bus rule's pattern, the arming, the
 * one-off schedules (in memory, Scheduler calls counted) and the
 * escalation workflow file run by the local runner on each firing.
 *
 * Path tests run the real ASL, the real arming and the real evaluation
 * (`armEscalation`, `createSlaEvaluator`: clocks, decision, announcements,
 * re-arming) over an in-memory incident whose whole scripted history is
 * replayed only up to a simulated "now"; the simulated time jumps to each
 * change of the script and each schedule's instant, exactly as time would
 * pass in AWS. The last tests run the same file and handlers against
 * DynamoDB Local and the local scheduler with an incident created over HTTP.
 */
import { describe, expect, inject, it } from 'vitest';
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { actorsOf, createGroups, newTenant, pollUntil, sampleIncident, syncClockWithStack, useLocalTable } from '../integration/api-client.js';

// The data layer and the scheduler client read their configuration at import time: set it before importing anything that uses it.
useLocalTable();
Object.assign(process.env, {
  SCHEDULER_ENDPOINT: `${inject('apiUrl')}/local/scheduler`,
  SCHEDULE_GROUP_NAME: 'itsm-local',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/itsm-local-scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:itsm-local-schedule-failures',
  INCIDENT_ESCALATION_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:itsm-local-incident-escalation',
});
const { localWorkflows } = await import('../../infra/local/local-stack.js');
const { FAST, HOUR, runScenario, officeHours } = await import('./escalation-scenario.js');
const { createSlaEvaluator, handler: evaluateSlaHandler } = await import('../../functions/sla/evaluate-sla.js');
const repository = await import('#shared/data/incidents/incident-repository.js');
const announcements = await import('#shared/data/sla/sla-announcement-repository.js');
const { businessCalendarSchema } = await import('#shared/domain/sla/business-calendar.js');
const { escalationSchedulePrefix } = await import('#shared/services/sla/escalation-watch.js');
const { getWatchedIncident } = await import('#shared/data/sla/sla-watch-repository.js');

/** The stored incident and SLA policy, under `escalationPolicy` instead of the tenant's. */
function withEscalationPolicy(escalationPolicy: EscalationPolicy) {
  return async (tenantId: string, incidentId: string) => ({ ...(await getWatchedIncident(tenantId, incidentId)), escalationPolicy });
}

/** The local scheduler's schedules of one incident (the SDK's ListSchedules call). */
async function schedulesOf(tenantId: string, incidentId: string): Promise<string[]> {
  const url = `${inject('apiUrl')}/local/scheduler/schedules?NamePrefix=${escalationSchedulePrefix(tenantId, incidentId)}`;
  return ((await (await fetch(url)).json()) as { Schedules: { Name: string }[] }).Schedules.map((schedule) => schedule.Name);
}

// Each firing runs the workflow file in the local runner: a long path takes a while on a loaded machine.
describe('the SLA watch, every path', { timeout: 180_000 }, () => {
  it('resolved before its first threshold: armed on creation, moved when work starts, removed on resolution; no execution, no transition', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'in_progress' },
        { at: 1.5, status: 'resolved' },
      ],
    });
    expect(run.executions).toEqual([]);
    expect(run.transitions).toBe(0);
    expect(run.arms).toBe(3);
    // Response 50 % at 2 h armed, then resolution 50 % at 12 h once work started, then nothing.
    // The arming on creation lists nothing: nothing can be armed yet for a new incident.
    expect(run.scheduleCalls).toEqual({ created: 2, deleted: 2, listed: 2 });
    expect(run.armed.size).toBe(0);
  });

  it('warning, then met: one run at the warning, one transition; the schedule follows the remaining thresholds until resolution', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 2.5, status: 'in_progress' },
        { at: 5, status: 'resolved' },
      ],
    });
    expect(run.events).toEqual([{ type: 'SlaWarning', metric: 'response', threshold: 0.5, reachedAt: 2, priority: 3 }]);
    expect(run.wakeUps).toEqual([2]);
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'threshold', nextAt: '2024-01-01T03:00:00.000Z' } });
    expect(run.execution?.states).toEqual(['EvaluateSla']);
    expect(run.transitions).toBe(1);
    expect(run.armed.size).toBe(0);
  });

  it('breach: both warnings and the breach of both clocks, in order, one run each, then nothing armed', async () => {
    const run = await runScenario({ lines: [{ at: 0, status: 'new', priority: 1 }] });
    expect(run.events.map((event) => `${event.type} ${event.metric} ${event.threshold} @${event.reachedAt}`)).toEqual([
      'SlaWarning response 0.5 @0.5',
      'SlaWarning response 0.75 @0.75',
      'SlaBreached response 1 @1',
      'SlaWarning resolution 0.5 @2',
      'SlaWarning resolution 0.75 @3',
      'SlaBreached resolution 1 @4',
    ]);
    expect(run.wakeUps).toEqual([0.5, 0.75, 1, 2, 3, 4]);
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled' } });
    expect(run.transitions).toBe(6);
    expect(run.armed.size).toBe(0);
  });

  it('paused across a threshold, then resumed: the hold moves the schedule to the re-check, the resume to the moved warning', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'in_progress' },
        { at: 10, status: 'on_hold', hold: 'awaiting_customer' },
        { at: 14, status: 'in_progress', action: 'resume' },
        { at: 17, status: 'resolved' },
      ],
    });
    // 4 h paused: the 50 % warning moves from 12 to 16; resolved before the 75 % one (22).
    expect(run.wakeUps).toEqual([16]);
    expect(run.events).toEqual([{ type: 'SlaWarning', metric: 'resolution', threshold: 0.5, reachedAt: 16, priority: 3 }]);
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { nextAt: '2024-01-01T22:00:00.000Z' } });
    expect(run.armed.size).toBe(0);
  });

  it('priority raised mid-wait: the schedule moves earlier than the old priority would have woken', async () => {
    const base = [
      { at: 0, status: 'new', priority: 4 },
      { at: 0.5, status: 'in_progress' },
      { at: 13, status: 'resolved' },
    ];
    const unchanged = await runScenario({ lines: base });
    const raised = await runScenario({ lines: [...base.slice(0, 2), { at: 1, priority: 3 }, ...base.slice(2)] });
    // P4 resolution 40 h: 50 % at 20 h, after the resolution. Raised to P3 (24 h) at 1 h: 50 % at 12 h.
    expect(unchanged.wakeUps).toEqual([]);
    expect(raised.wakeUps).toEqual([12]);
    expect(raised.events).toEqual([{ type: 'SlaWarning', metric: 'resolution', threshold: 0.5, reachedAt: 12, priority: 3 }]);
  });

  it('a change that makes a threshold due already starts the workflow at once, before any schedule fires', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1.5, priority: 1 },
        { at: 1.6, status: 'in_progress' },
        { at: 2.5, status: 'resolved' },
      ],
    });
    // P1 responds within 1 h, over the whole elapsed time: breached as it is raised at 1.5 h, announced at once (the breach covers its warnings).
    expect(run.events[0]).toEqual({ type: 'SlaBreached', metric: 'response', threshold: 1, reachedAt: 1.5, priority: 1 });
    expect(run.executions.length).toBe(run.wakeUps.length + 1);
    expect(run.wakeUps).toEqual([2]);
    expect(run.armed.size).toBe(0);
  });

  it('a stale schedule (armed for an older generation, survived a race) ends superseded and leaves the schedules alone', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, priority: 2 },
      ],
      direct: { startAt: 1, generation: 1 },
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'superseded', generation: 1 } });
    expect(run.transitions).toBe(1);
    expect(run.scheduleCalls).toEqual({ created: 0, deleted: 0, listed: 0 });
  });

  const climb: EscalationPolicy = {
    levels: [
      { name: 'Response late: duty manager', metric: 'response', trigger: { threshold: 1 }, kind: 'hierarchical', notifyRoles: ['manager'] },
      { name: 'Resolution at 75 %: second line', metric: 'resolution', trigger: { threshold: 0.75 }, kind: 'functional', assignmentGroup: 'network-l2' },
      {
        name: 'Resolution late: service owner',
        metric: 'resolution',
        trigger: { threshold: 1.5 },
        kind: 'hierarchical',
        notifyRoles: ['tenant-admin'],
        repeat: { count: 2, everyMs: HOUR },
      },
    ],
  };

  it('escalates through every level, repetitions included, then settles', async () => {
    // P1 never worked: response 1 h, resolution 4 h (24×7).
    const run = await runScenario({ lines: [{ at: 0, status: 'new', priority: 1 }], escalation: climb });
    expect(run.escalations).toEqual([
      { at: 1, level: 0, repeat: 0, kind: 'hierarchical' },
      { at: 3, level: 1, repeat: 0, kind: 'functional' },
      { at: 6, level: 2, repeat: 0, kind: 'hierarchical' },
      { at: 7, level: 2, repeat: 1, kind: 'hierarchical' },
      { at: 8, level: 2, repeat: 2, kind: 'hierarchical' },
    ]);
    // Thresholds and levels share wake-ups where they coincide (1 h: response breach and level 0; 3 h: resolution 75 % and level 1).
    expect(run.wakeUps).toEqual([0.5, 0.75, 1, 2, 3, 4, 6, 7, 8]);
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled' } });
    expect(run.transitions).toBe(9);
  });

  it('acknowledgement stops the response climb; a resolution stops the rest', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 1 },
        { at: 0.9, status: 'in_progress' },
        { at: 2.5, status: 'resolved' },
      ],
      escalation: climb,
    });
    expect(run.escalations).toEqual([]);
    expect(run.events.map((event) => `${event.type} ${event.metric} ${event.threshold}`)).toEqual([
      'SlaWarning response 0.5',
      'SlaWarning response 0.75',
      'SlaWarning resolution 0.5',
    ]);
  });

  it('quiet hours: a P3 escalation waits for the office to open, a P1 one pages at once', async () => {
    const quiet: EscalationPolicy = {
      levels: [
        {
          name: 'Response late: duty manager',
          metric: 'response',
          trigger: { threshold: 1 },
          kind: 'hierarchical',
          notifyRoles: ['manager'],
          notifyWithin: { calendar: businessCalendarSchema.parse(officeHours), urgentPriorities: [1] },
        },
      ],
    };
    // Monday 00:00 UTC; the office opens at 08:00. P3 response due 04:00, P1 01:00.
    const p3 = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 9, status: 'in_progress' },
      ],
      escalation: quiet,
    });
    expect(p3.escalations).toEqual([{ at: 8, level: 0, repeat: 0, kind: 'hierarchical' }]);
    expect(p3.wakeUps).toContain(8);
    const p1 = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 1 },
        { at: 2, status: 'in_progress' },
        { at: 2.5, status: 'resolved' },
      ],
      escalation: quiet,
    });
    expect(p1.escalations).toEqual([{ at: 1, level: 0, repeat: 0, kind: 'hierarchical' }]);
  });

  it('cancelled before its first threshold: the schedule is removed, nothing runs, nothing is announced', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'cancelled' },
      ],
    });
    expect(run.executions).toEqual([]);
    expect(run.events).toEqual([]);
    expect(run.scheduleCalls).toEqual({ created: 1, deleted: 1, listed: 1 });
    expect(run.armed.size).toBe(0);
  });

  it('the task fails, then succeeds on retry (Lambda service errors are retried with backoff)', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'resolved' },
      ],
      direct: { startAt: 1, generation: 1 },
      failures: { count: 2, name: 'Lambda.ServiceException' },
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled' } });
    expect(run.execution?.retries).toEqual(['EvaluateSla', 'EvaluateSla']);
    expect(run.transitions).toBe(3);
  });

  it('the task fails for good: retries exhausted, caught, the execution fails', async () => {
    const service = await runScenario({
      lines: [{ at: 0, status: 'new', priority: 3 }],
      direct: { startAt: 2, generation: 1 },
      failures: { count: 100, name: 'Lambda.ServiceException' },
    });
    expect(service.execution).toMatchObject({ status: 'FAILED', error: 'SlaEvaluationFailed' });
    expect(service.execution?.retries).toHaveLength(6);
    expect(service.execution?.states).toEqual(['EvaluateSla', 'Failed']);
    const functionError = await runScenario({
      lines: [{ at: 0, status: 'new', priority: 3 }],
      direct: { startAt: 2, generation: 1 },
      failures: { count: 100, name: 'TooManyRequestsError' },
    });
    expect(functionError.execution).toMatchObject({ status: 'FAILED', error: 'SlaEvaluationFailed' });
    expect(functionError.execution?.retries).toHaveLength(3);
  });

  it('an incident that no longer exists ends the run and removes its schedule', async () => {
    const run = await runScenario({ lines: [], direct: { startAt: 0, generation: 1 } });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'gone' } });
    expect(run.scheduleCalls.listed).toBe(1);
  });
});

describe('incident-escalation workflow against DynamoDB Local', () => {
  const tenant = actorsOf(newTenant('escalation'));

  type History = { items: { action: string; actorId: string; facts: Record<string, unknown>; changes: { field: string; to: unknown }[] }[] };
  const slaEntries = async (id: string) =>
    (await tenant.agent.call<History>('GET', `/incidents/${id}/history?limit=100`)).body.items.filter((item) => item.action.startsWith('sla_'));

  it('the real handler module: an incident cancelled at once needs one evaluation', async () => {
    const { body } = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    expect((await tenant.manager.call('POST', `/incidents/${body.id}/cancel`, { body: { reason: 'Raised in error' } })).status).toBe(200);
    await syncClockWithStack();
    const execution = await localWorkflows().startExecution('incident-escalation', { tenantId: tenant.tenantId, incidentId: body.id, generation: 1 }, FAST);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled', announced: [] } });
    expect(execution.states).toEqual(['EvaluateSla']);
    expect(await schedulesOf(tenant.tenantId, body.id)).toEqual([]);
  });

  it('the real handler module arms the one schedule of the next threshold of a running incident on the local scheduler', async () => {
    const { body } = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    // The creation armed it through the bus already.
    await pollUntil(
      () => schedulesOf(tenant.tenantId, body.id),
      (names) => names.length === 1,
    );
    await syncClockWithStack();
    const answer = await evaluateSlaHandler({ tenantId: tenant.tenantId, incidentId: body.id, generation: 7 });
    expect(answer).toMatchObject({ tenantId: tenant.tenantId, incidentId: body.id, generation: 7, action: 'done', reason: 'threshold', announced: [] });
    const nextAt = Date.parse(answer.nextAt ?? '');
    expect(nextAt).toBeGreaterThan(Date.parse(answer.evaluatedAt));
    // One schedule, named for the instant (the arming on creation armed the same one: still one).
    expect(await schedulesOf(tenant.tenantId, body.id)).toEqual([`${escalationSchedulePrefix(tenant.tenantId, body.id)}${Math.ceil(nextAt / 1000)}`]);
  });

  it('announces each breach once, in the audit trail and the outbox, even when evaluations race', async () => {
    const { body } = await tenant.agent.call<{ id: string; createdAt: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    // A month later (simulated): both clocks are long breached.
    const later = new Date(Date.parse(body.createdAt) + 30 * 24 * HOUR);
    const evaluate = createSlaEvaluator({
      now: () => later,
      listHistory: repository.listWholeIncidentHistory,
      announce: announcements.announceSlaThreshold,
      // One level, without quiet hours, so the outcome does not depend on the hour the test runs at.
      getWatched: withEscalationPolicy({
        levels: [
          { name: 'Response late', metric: 'response' as const, trigger: { threshold: 1 }, kind: 'hierarchical' as const, notifyRoles: ['manager' as const] },
        ],
      }),
      escalate: announcements.recordEscalation,
      arm: async () => undefined,
    });
    const input = { tenantId: tenant.tenantId, incidentId: body.id, generation: 1 };
    const [first, second] = await Promise.all([evaluate(input), evaluate(input)]);
    expect([...first.announced, ...second.announced].sort()).toEqual(['escalation:0:0', 'resolution:1', 'response:1']);

    const execution = await localWorkflows({ functions: { 'sla/evaluate-sla': evaluate } }).startExecution('incident-escalation', input, FAST);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', announced: [] } });

    const entries = await slaEntries(body.id);
    expect(entries.map((entry) => `${entry.action} ${entry.facts.metric}`).sort()).toEqual(['sla_breached resolution', 'sla_breached response']);
    expect(entries.every((entry) => entry.actorId === 'sla-engine')).toBe(true);
    expect(await announcements.getSlaAnnouncements(tenant.tenantId, body.id)).toHaveProperty('size', 7);
    const history = (await tenant.agent.call<History>('GET', `/incidents/${body.id}/history?limit=100`)).body.items;
    expect(history.filter((item) => item.action === 'escalate').map((item) => item.facts)).toEqual([
      expect.objectContaining({ level: 0, kind: 'hierarchical', notifyRoles: ['manager'], metric: 'response', repeat: 0 }),
    ]);
  });

  it('a functional level reassigns the incident to its group, once, with IncidentEscalated in the history', async () => {
    const { body } = await tenant.agent.call<{ id: string; createdAt: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    await createGroups(tenant, ['desk', { code: 'network-l2', tier: 'regional' }]);
    await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${body.id}/start`);
    const later = new Date(Date.parse(body.createdAt) + 30 * 24 * HOUR);
    const evaluate = createSlaEvaluator({
      now: () => later,
      listHistory: repository.listWholeIncidentHistory,
      announce: announcements.announceSlaThreshold,
      getWatched: withEscalationPolicy({
        levels: [
          { name: 'Second line', metric: 'resolution' as const, trigger: { threshold: 0.75 }, kind: 'functional' as const, assignmentGroup: 'network-l2' },
        ],
      }),
      escalate: announcements.recordEscalation,
      arm: async () => undefined,
    });
    const input = { tenantId: tenant.tenantId, incidentId: body.id, generation: 1 };
    const [first, second] = await Promise.all([evaluate(input), evaluate(input)]);
    expect([...first.announced, ...second.announced].filter((key) => key.startsWith('escalation'))).toEqual(['escalation:0:0']);

    const incident = (
      await tenant.agent.call<{ assignmentGroup: string; status: string; dispatch: { count: number; returned: number } }>('GET', `/incidents/${body.id}`)
    ).body;
    expect(incident).toMatchObject({ assignmentGroup: 'network-l2', status: 'assigned', dispatch: { count: 2, returned: 1 } });
    const history = (
      await tenant.agent.call<History & { items: { changes: { field: string; to: unknown }[] }[] }>('GET', `/incidents/${body.id}/history?limit=100`)
    ).body.items;
    const escalated = history.filter((item) => item.action === 'escalate');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.actorId).toBe('sla-engine');
    expect(escalated[0]?.changes).toContainEqual(expect.objectContaining({ field: 'assignmentGroup', to: 'network-l2' }));
    expect(escalated[0]?.facts).toMatchObject({ kind: 'functional', level: 0, assignmentGroup: 'network-l2', previousGroup: 'desk' });
  });
});
