/**
 * The escalation workflow file, executed by the local runner on every path.
 *
 * Path tests run the real ASL and the real evaluation (`createSlaEvaluator`:
 * clocks, decision, announcements) over an in-memory incident whose whole
 * scripted history is replayed only up to a simulated "now"; the simulated
 * time jumps to each `waitUntil` the workflow waits for (waits take 0 ms),
 * exactly as time would pass in AWS. The last tests run the same file
 * against DynamoDB Local with an incident created over HTTP.
 */
import { describe, expect, it } from 'vitest';
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { actorsOf, newTenant, sampleIncident, syncClockWithStack, useLocalTable } from '../integration/api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable();
const { localWorkflows } = await import('../../infra/local/local-stack.js');
const { FAST, HOUR, runScenario, officeHours } = await import('./escalation-scenario.js');
const { createSlaEvaluator, handler: evaluateSlaHandler, slaPolicyFor } = await import('../../functions/sla/evaluate-sla.js');
const repository = await import('#shared/data/incidents/incident-repository.js');
const announcements = await import('#shared/data/sla/sla-announcement-repository.js');
const { businessCalendarSchema } = await import('#shared/domain/sla/business-calendar.js');

describe('incident-escalation workflow, every path', () => {
  it('resolved before any warning: done after one evaluation, 3 transitions', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'in_progress' },
        { at: 1.5, status: 'resolved' },
      ],
      startAt: 1.5,
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled', tenantId: 'acme', generation: 1 } });
    expect(run.execution.states).toEqual(['EvaluateSla', 'Decide', 'Settled']);
    expect(run.events).toEqual([]);
    expect(run.transitions).toBe(3);
  });

  it('warning, then met: one SlaWarning, then the wake-ups follow the remaining thresholds until resolution', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 2.5, status: 'in_progress' },
        { at: 5, status: 'resolved' },
      ],
    });
    expect(run.execution.status).toBe('SUCCEEDED');
    expect(run.events).toEqual([{ type: 'SlaWarning', metric: 'response', threshold: 0.5, reachedAt: 2, priority: 3 }]);
    expect(run.wakeUps).toEqual([2, 3, 12]);
    expect(run.transitions).toBe(12);
  });

  it('breach: both warnings and the breach of both clocks, in order, then done', async () => {
    const run = await runScenario({ lines: [{ at: 0, status: 'new', priority: 1 }] });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done' } });
    expect(run.events.map((event) => `${event.type} ${event.metric} ${event.threshold} @${event.reachedAt}`)).toEqual([
      'SlaWarning response 0.5 @0.5',
      'SlaWarning response 0.75 @0.75',
      'SlaBreached response 1 @1',
      'SlaWarning resolution 0.5 @2',
      'SlaWarning resolution 0.75 @3',
      'SlaBreached resolution 1 @4',
    ]);
    expect(run.transitions).toBe(21);
  });

  it('paused across a threshold, then resumed: the first execution only re-checks, the one armed by the resume announces the moved warning', async () => {
    const lines = [
      { at: 0, status: 'new', priority: 3 },
      { at: 1, status: 'in_progress' },
      { at: 10, status: 'on_hold', hold: 'awaiting_customer' },
      { at: 14, status: 'in_progress', action: 'resume' },
      { at: 17, status: 'resolved' },
    ];
    const first = await runScenario({ lines });
    // 2: response 50 % (met by then); 12: resolution 50 %, but paused since 10; 20: the safety re-check a working day later, superseded by the resume.
    expect(first.wakeUps).toEqual([2, 12, 20]);
    expect(first.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'superseded' } });
    expect(first.events).toEqual([]);
    const armedByResume = await runScenario({ lines, startAt: 14, generation: 4 });
    // 4 h paused: the 50 % warning moves from 12 to 16, the 75 % from 18 to 22 (resolved by then).
    expect(armedByResume.wakeUps).toEqual([16, 22]);
    expect(armedByResume.events).toEqual([{ type: 'SlaWarning', metric: 'resolution', threshold: 0.5, reachedAt: 16, priority: 3 }]);
    expect(armedByResume.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled' } });
  });

  it('priority raised mid-wait: the old execution ends superseded at its wake-up, the new one wakes earlier than the old priority would', async () => {
    const base = [
      { at: 0, status: 'new', priority: 4 },
      { at: 0.5, status: 'in_progress' },
      { at: 13, status: 'resolved' },
    ];
    const unchanged = await runScenario({ lines: base });
    const raisedLines = [...base.slice(0, 2), { at: 1, priority: 3 }, ...base.slice(2)];
    const old = await runScenario({ lines: raisedLines });
    const raised = await runScenario({ lines: raisedLines, startAt: 1, generation: 3 });
    // P4 resolution 40 h: 50 % at 20 h. Raised to P3 (24 h) at 1 h: 50 % at 12 h.
    expect(unchanged.wakeUps).toEqual([4, 20]);
    expect(old.wakeUps).toEqual([4]);
    expect(old.execution).toMatchObject({ output: { action: 'done', reason: 'superseded' } });
    expect(raised.wakeUps).toEqual([12, 18]);
    expect(raised.events).toEqual([{ type: 'SlaWarning', metric: 'resolution', threshold: 0.5, reachedAt: 12, priority: 3 }]);
  });

  it('a stale generation ends at once: the event that armed it was redelivered after a newer change', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, priority: 2 },
      ],
      startAt: 1,
      generation: 1,
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'superseded', generation: 1 } });
    expect(run.transitions).toBe(3);
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
    expect(run.transitions).toBe(3 * 10);
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

  it('cancelled: done at the next evaluation, nothing announced', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'cancelled' },
      ],
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'settled' } });
    expect(run.events).toEqual([]);
    expect(run.transitions).toBe(6);
  });

  it('the task fails, then succeeds on retry (Lambda service errors are retried with backoff)', async () => {
    const run = await runScenario({
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'resolved' },
      ],
      startAt: 1,
      failures: { count: 2, name: 'Lambda.ServiceException' },
    });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done' } });
    expect(run.execution.retries).toEqual(['EvaluateSla', 'EvaluateSla']);
    expect(run.transitions).toBe(5);
  });

  it('the task fails for good: retries exhausted, caught, the execution fails', async () => {
    const service = await runScenario({ lines: [{ at: 0, status: 'new', priority: 3 }], failures: { count: 100, name: 'Lambda.ServiceException' } });
    expect(service.execution).toMatchObject({ status: 'FAILED', error: 'SlaEvaluationFailed' });
    expect(service.execution.retries).toHaveLength(6);
    expect(service.execution.states).toEqual(['EvaluateSla', 'Failed']);
    const functionError = await runScenario({ lines: [{ at: 0, status: 'new', priority: 3 }], failures: { count: 100, name: 'TooManyRequestsError' } });
    expect(functionError.execution).toMatchObject({ status: 'FAILED', error: 'SlaEvaluationFailed' });
    expect(functionError.execution.retries).toHaveLength(3);
  });

  it('a decision outside the contract fails the execution instead of looping', async () => {
    const run = await runScenario({ lines: [], answer: () => ({ action: 'wait' }) });
    expect(run.execution).toMatchObject({ status: 'FAILED', error: 'SlaUnexpectedDecision' });
  });

  it('an incident that no longer exists ends the workflow', async () => {
    const run = await runScenario({ lines: [] });
    expect(run.execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'done', reason: 'gone' } });
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
    expect(execution.states).toEqual(['EvaluateSla', 'Decide', 'Settled']);
  });

  it('the real handler module waits for the next threshold of a running incident', async () => {
    const { body } = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident() });
    await syncClockWithStack();
    const answer = await evaluateSlaHandler({ tenantId: tenant.tenantId, incidentId: body.id, generation: 7 });
    expect(answer).toMatchObject({ tenantId: tenant.tenantId, incidentId: body.id, generation: 7, action: 'wait', reason: 'threshold', announced: [] });
    expect(Date.parse(answer.waitUntil ?? '')).toBeGreaterThan(Date.parse(answer.evaluatedAt));
  });

  it('announces each breach once, in the audit trail and the outbox, even when evaluations race', async () => {
    const { body } = await tenant.agent.call<{ id: string; createdAt: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1 }) });
    // A month later (simulated): both clocks are long breached.
    const later = new Date(Date.parse(body.createdAt) + 30 * 24 * HOUR);
    const evaluate = createSlaEvaluator({
      now: () => later,
      getIncident: repository.getIncident,
      listHistory: repository.listWholeIncidentHistory,
      getAnnounced: announcements.getSlaAnnouncements,
      announce: announcements.announceSlaThreshold,
      slaPolicyFor,
      // One level, without quiet hours, so the outcome does not depend on the hour the test runs at.
      escalationPolicyFor: async () => ({
        levels: [
          { name: 'Response late', metric: 'response' as const, trigger: { threshold: 1 }, kind: 'hierarchical' as const, notifyRoles: ['manager' as const] },
        ],
      }),
      escalate: announcements.recordEscalation,
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
    await tenant.agent.call('POST', `/incidents/${body.id}/assign`, { body: { assignmentGroup: 'desk' } });
    await tenant.agent.call('POST', `/incidents/${body.id}/start`);
    const later = new Date(Date.parse(body.createdAt) + 30 * 24 * HOUR);
    const evaluate = createSlaEvaluator({
      now: () => later,
      getIncident: repository.getIncident,
      listHistory: repository.listWholeIncidentHistory,
      getAnnounced: announcements.getSlaAnnouncements,
      announce: announcements.announceSlaThreshold,
      slaPolicyFor,
      escalationPolicyFor: async () => ({
        levels: [
          { name: 'Second line', metric: 'resolution' as const, trigger: { threshold: 0.75 }, kind: 'functional' as const, assignmentGroup: 'network-l2' },
        ],
      }),
      escalate: announcements.recordEscalation,
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
