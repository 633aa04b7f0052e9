/**
 * The change record's rules: life cycle per type (every allowed and every
 * illegal transition), creation, submission with conflicts, assessment and
 * risk, votes and the task answers they leave, implementation, rollback,
 * review, cancellation, the workflow commands, and the success rate.
 */
import { describe, expect, it } from 'vitest';
import {
  assessChange,
  type Change,
  cancelChange,
  closeChange,
  createChange,
  reportImplementation,
  requestApproval,
  rollBackChange,
  scheduleChange,
  startImplementation,
  submitChange,
  successRate,
  timeOutApproval,
  voteOnChange,
} from '#shared/domain/changes/change.js';
import { defaultApprovalSettings } from '#shared/domain/changes/change-approval.js';
import type { Conflict } from '#shared/domain/changes/change-calendar.js';
import { allowedChangeActions, CHANGE_ACTIONS, CHANGE_STATUSES, CHANGE_TYPES, nextChangeStatus } from '#shared/domain/changes/change-lifecycle.js';
import { assessRisk, defaultRiskQuestionnaire } from '#shared/domain/changes/change-risk.js';
import { workflowCommand } from '#shared/domain/changes/change-workflow.js';
import type { Actor } from '#shared/domain/roles.js';

const NOW = '2026-11-23T10:00:00.000Z';
const agent: Actor = { tenantId: 'acme', userId: 'alice', roles: ['agent'] };
const manager: Actor = { tenantId: 'acme', userId: 'maya', roles: ['manager'] };
const ctx = (actor: Actor = agent) => ({ actor, now: NOW });
const TEMPLATE = { id: 'os-patch', name: 'OS patch', category: 'patching', implementationPlan: 'apply', testPlan: 'check', backoutPlan: 'revert' };
const input = (type: Change['type'], overrides: Record<string, unknown> = {}) => ({
  type,
  title: 'Patch',
  description: 'd',
  justification: 'j',
  ...(type === 'standard' ? { templateId: 'os-patch' } : { category: 'c', implementationPlan: 'i', testPlan: 't', backoutPlan: 'b' }),
  ciIds: ['db-01', 'db-01'],
  serviceIds: [],
  plannedStart: '2026-11-24T01:00:00.000Z',
  plannedEnd: '2026-11-24T02:00:00.000Z',
  ...overrides,
});
const created = (type: Change['type']) => createChange(input(type), { id: 'C1', number: 'CHG0001001' }, ctx(), type === 'standard' ? TEMPLATE : null).change;
const freeze: Conflict = { kind: 'blackout', blackoutId: 'f', name: 'Freeze', start: NOW, end: NOW, message: "Freeze 'Freeze'." };
const overlap: Conflict = { kind: 'ci_overlap', ciId: 'db-01', changeId: 'C2', number: 'CHG2', start: NOW, end: NOW, message: 'CHG2 also changes db-01.' };
const LOW = { 'users-affected': 'none', complexity: 'simple', tested: 'yes', backout: 'proven', outage: 'no' };

describe('change life cycle', () => {
  const paths: Record<Change['type'], string[]> = {
    standard: ['new', 'scheduled', 'implement', 'review', 'closed'],
    normal: ['new', 'assess', 'authorise', 'scheduled', 'implement', 'review', 'closed'],
    emergency: ['new', 'authorise', 'scheduled', 'implement', 'review', 'closed'],
  };
  it.each(CHANGE_TYPES)('%s: the main path and the failure path are allowed', (type) => {
    const actions = { new: 'submit', assess: 'assess', authorise: 'schedule', scheduled: 'start', implement: 'complete', review: 'close' } as const;
    const path = paths[type];
    for (let index = 0; index < path.length - 1; index++) {
      const from = path[index] as keyof typeof actions;
      expect(nextChangeStatus(type, from, actions[from])).toBe(path[index + 1]);
    }
    expect(nextChangeStatus(type, 'implement', 'fail')).toBe('rollback');
    expect(nextChangeStatus(type, 'rollback', 'rollback')).toBe('review');
  });

  it('every other action from every status is refused with 409 and the allowed actions', () => {
    for (const type of CHANGE_TYPES) {
      for (const status of CHANGE_STATUSES) {
        const allowed = allowedChangeActions(type, status);
        for (const action of CHANGE_ACTIONS.filter((candidate) => !allowed.includes(candidate))) {
          expect(() => nextChangeStatus(type, status, action)).toThrow(expect.objectContaining({ kind: 'illegal-transition', allowedActions: allowed }));
        }
      }
    }
  });

  it.each([
    ['standard', 'authorise', []],
    ['normal', 'closed', []],
    ['normal', 'rejected', []],
    ['emergency', 'authorise', ['approve', 'reject', 'expire', 'schedule', 'cancel']],
    ['normal', 'implement', ['complete', 'fail']],
  ] as const)('%s in %s allows %j', (type, status, actions) => {
    expect(allowedChangeActions(type, status)).toEqual(actions);
  });
});

describe('createChange', () => {
  it('a standard change takes its plans from the template and is low risk', () => {
    const change = created('standard');
    expect(change).toMatchObject({
      status: 'new',
      templateId: 'os-patch',
      implementationPlan: 'apply',
      category: 'patching',
      risk: 'low',
      ciIds: ['db-01'],
      version: 1,
    });
  });

  it.each([
    ['a standard change without template', 'standard', {}, null, /template/],
    ['a normal change without a backout plan', 'normal', { backoutPlan: undefined }, null, /backoutPlan/],
    ['a normal change naming a template', 'normal', { templateId: 'os-patch' }, null, /Only standard/],
    ['an end before the start', 'normal', { plannedEnd: '2026-11-24T00:00:00.000Z' }, null, /plannedEnd/],
    ['no CI and no service', 'emergency', { ciIds: [], serviceIds: [] }, null, /at least one/],
  ] as const)('refuses %s (422)', (_case, type, overrides, template, message) => {
    expect(() => createChange(input(type, overrides) as never, { id: 'C', number: 'N' }, ctx(), template)).toThrow(message);
  });

  it('refuses a requester (changes are staff work)', () => {
    expect(() => createChange(input('normal') as never, { id: 'C', number: 'N' }, ctx({ ...agent, roles: ['requester'] }), null)).toThrow(/staff/);
  });
});

describe('submitChange', () => {
  const settings = defaultApprovalSettings();
  it.each([
    ['standard', [], 'scheduled', null],
    ['normal', [], 'assess', 2],
    ['emergency', [], 'authorise', 1],
    ['emergency', [freeze], 'authorise', 2],
  ] as const)('%s with conflicts %j → %s, approval levels %s', (type, conflicts, status, levels) => {
    const { change, eventType, facts } = submitChange(created(type), ctx(), conflicts, settings);
    expect(eventType).toBe('ChangeSubmitted');
    expect(change.status).toBe(status);
    expect(change.approval?.levels.length ?? null).toBe(levels);
    expect(facts.freezeOverride).toBe(conflicts.length > 0);
  });

  it.each([
    ['standard', [freeze]],
    ['normal', [freeze]],
    ['emergency', [overlap]],
    ['emergency', [freeze, overlap]],
  ] as const)('refuses a %s change with conflicts %j, listing them', (type, conflicts) => {
    expect(() => submitChange(created(type), ctx(), conflicts, settings)).toThrow(expect.objectContaining({ kind: 'conflict', extensions: { conflicts } }));
  });
});

describe('risk', () => {
  const questionnaire = defaultRiskQuestionnaire();
  it.each([
    [LOW, 0, 'low'],
    [{ ...LOW, complexity: 'complex' }, 4, 'low'],
    [{ ...LOW, complexity: 'complex', outage: 'window' }, 5, 'medium'],
    [{ ...LOW, complexity: 'complex', tested: 'no', backout: 'untested' }, 10, 'high'],
    [{ 'users-affected': 'many', complexity: 'complex', tested: 'no', backout: 'none', outage: 'yes' }, 18, 'high'],
  ])('%j scores %i: %s', (answers, score, risk) => {
    expect(assessRisk(questionnaire, answers)).toEqual({ score, risk });
  });

  it.each([
    [{ ...LOW, outage: undefined }, /outage: unanswered/],
    [{ ...LOW, outage: 'maybe' }, /no option 'maybe'/],
    [{ ...LOW, colour: 'red' }, /Unknown risk questions: colour/],
  ])('refuses incomplete or unknown answers %j (422)', (answers, message) => {
    expect(() => assessRisk(questionnaire, answers as Record<string, string>)).toThrow(message);
  });

  it('the assessment sets risk, score and the continuity flag, and sends the change to authorisation', () => {
    const submitted = submitChange(created('normal'), ctx(), [], defaultApprovalSettings()).change;
    const { change, eventType } = assessChange(
      submitted,
      ctx(),
      { impact: 'i', resources: 'r', riskAnswers: { ...LOW, tested: 'no', complexity: 'moderate' }, continuityImpact: true, continuityPlanIds: ['bcp-1'] },
      questionnaire,
    );
    expect(eventType).toBe('ChangeAssessed');
    expect(change).toMatchObject({
      status: 'authorise',
      risk: 'medium',
      riskScore: 6,
      continuityImpact: true,
      assessment: { continuityPlanIds: ['bcp-1'], assessedBy: 'alice' },
    });
  });
});

describe('votes, workflow steps and the answers they leave', () => {
  const emergency = () => submitChange(created('emergency'), ctx(), [], defaultApprovalSettings()).change;

  it('the deciding vote leaves its answer with the waiting step; the advancer completes that token', () => {
    const asked = requestApproval(emergency(), ctx({ ...agent, userId: 'change-workflow', roles: [] }), 'token-1');
    expect(asked.eventType).toBe('ChangeApprovalRequested');
    expect(asked.change.pendingTask).toMatchObject({ kind: 'approval', token: 'token-1', level: 0, answer: null });
    expect(workflowCommand('ChangeApprovalRequested', asked.change)).toEqual({ kind: 'none' });
    const approved = voteOnChange(asked.change, ctx(manager), { decision: 'approve', comment: 'ok' }, []);
    expect(approved.eventType).toBe('ChangeApproved');
    expect(approved.change.pendingTask?.answer).toEqual({ outcome: 'approved' });
    expect(workflowCommand('ChangeApproved', approved.change)).toEqual({ kind: 'complete', token: 'token-1', output: { outcome: 'approved' } });
  });

  it('a vote before the step asked leaves no answer (the step answers itself when it runs)', () => {
    const approved = voteOnChange(emergency(), ctx(manager), { decision: 'approve', comment: null }, []);
    expect(approved.change.pendingTask).toBeNull();
    expect(workflowCommand('ChangeApproved', approved.change)).toEqual({ kind: 'none' });
  });

  it('a vote on a change that is not being authorised is refused (409)', () => {
    expect(() => voteOnChange(created('normal'), ctx(manager), { decision: 'approve', comment: null }, [])).toThrow(
      expect.objectContaining({ kind: 'illegal-transition' }),
    );
  });

  it('scheduling, handing over, a failed report, rollback and review', () => {
    const approved = voteOnChange(emergency(), ctx(manager), { decision: 'approve', comment: null }, []).change;
    const scheduled = scheduleChange(approved, ctx(), []);
    expect(scheduled).toMatchObject({ eventType: 'ChangeScheduled', change: { status: 'scheduled', scheduledAt: NOW } });
    expect(() => scheduleChange(scheduled.change, ctx(), [])).toThrow(/already scheduled/);
    const started = startImplementation(scheduled.change, ctx(), 'token-2');
    expect(started.change).toMatchObject({ status: 'implement', pendingTask: { kind: 'implementation', token: 'token-2' } });
    const failed = reportImplementation(started.change, ctx(), { result: 'failed', notes: 'broke' });
    expect(failed).toMatchObject({ eventType: 'ChangeImplemented', facts: { result: 'failed' }, change: { status: 'rollback' } });
    expect(workflowCommand('ChangeImplemented', failed.change)).toEqual({ kind: 'complete', token: 'token-2', output: { result: 'failed' } });
    const rolledBack = rollBackChange(failed.change, ctx());
    expect(rolledBack).toMatchObject({ eventType: 'ChangeFailed', change: { status: 'review', rolledBack: true } });
    const closed = closeChange(rolledBack.change, ctx(manager), 'Root cause: missing index');
    expect(closed).toMatchObject({
      eventType: 'ChangeClosed',
      facts: { rolledBack: true, result: 'failed' },
      change: { status: 'closed', review: { reviewedBy: 'maya' } },
    });
  });

  it('an approval that times out with escalation left escalates; without, the change is rejected', () => {
    const asked = requestApproval(emergency(), ctx(), 'token-1').change;
    const escalated = timeOutApproval(asked, ctx());
    expect(escalated).toMatchObject({ outcome: 'escalated', eventType: 'ChangeApprovalEscalated', change: { status: 'authorise', pendingTask: null } });
    const expired = timeOutApproval(escalated.change, ctx());
    expect(expired).toMatchObject({ outcome: 'expired', eventType: 'ChangeRejected', change: { status: 'rejected' } });
  });

  it('a cancelled change stops its workflow', () => {
    const cancelled = cancelChange(emergency(), ctx(), 'duplicate').change;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { reason: 'duplicate', cancelledBy: 'alice' } });
    expect(workflowCommand('ChangeCancelled', cancelled)).toEqual({ kind: 'stop', name: 'C1' });
  });

  it.each([
    ['ChangeSubmitted', 'standard', 'start'],
    ['ChangeSubmitted', 'emergency', 'start'],
    ['ChangeSubmitted', 'normal', 'none'],
    ['ChangeAssessed', 'normal', 'start'],
  ] as const)('%s of a %s change → %s', (eventType, type, kind) => {
    let change = submitChange(created(type), ctx(), [], defaultApprovalSettings()).change;
    if (eventType === 'ChangeAssessed')
      change = assessChange(change, ctx(), { impact: 'i', resources: 'r', riskAnswers: LOW, continuityImpact: false }, defaultRiskQuestionnaire()).change;
    const command = workflowCommand(eventType, change);
    expect(command.kind).toBe(kind);
    if (command.kind === 'start') {
      expect(command).toMatchObject({ name: 'C1', input: { tenantId: 'acme', changeId: 'C1', changeType: type } });
      expect(command.input.approvalTimeoutSeconds).toBe(type === 'standard' ? 3600 : (change.approval?.timeoutHours ?? 0) * 3600);
    }
  });
});

describe('successRate', () => {
  it.each([
    [[], null],
    [[{ rolledBack: false }], 1],
    [[{ rolledBack: true }], 0],
    [[{ rolledBack: false }, { rolledBack: false }, { rolledBack: true }, { rolledBack: false }], 0.75],
  ])('%j → %s', (records, rate) => {
    expect(successRate(records)).toBe(rate);
  });
});
