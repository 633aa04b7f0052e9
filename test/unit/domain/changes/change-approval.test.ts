/**
 * CAB approval rules: quorum (M of N, percent), any reject rejects, level
 * progression, the requester and non-approvers refused, one vote per
 * approver per level, delegation, timeouts. Table-driven and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Approval,
  type ApprovalLevel,
  approvalLevelSchema,
  approvalsRequired,
  castVote,
  type Delegation,
  levelOutcome,
  resolveApprover,
  startApproval,
  timeOutLevel,
} from '#shared/domain/changes/change-approval.js';
import type { Role, TenantRole } from '#shared/domain/roles.js';

const users = (...ids: string[]) => ({ users: ids, roles: [] as TenantRole[] });
const level = (approvers: ApprovalLevel['approvers'], rule: ApprovalLevel['rule'], name = 'L'): ApprovalLevel => ({ name, approvers, rule });
const NOW = '2026-11-23T10:00:00.000Z';
const person = (userId: string, ...roles: Role[]) => ({ userId, roles });

describe('approvalsRequired', () => {
  it.each([
    [level(users('a', 'b', 'c'), { kind: 'count', required: 2 }), 2],
    [level(users('a', 'b', 'c'), { kind: 'percent', percent: 50 }), 2],
    [level(users('a', 'b', 'c', 'd'), { kind: 'percent', percent: 50 }), 2],
    [level(users('a', 'b', 'c'), { kind: 'percent', percent: 100 }), 3],
    [level(users('a', 'b', 'c'), { kind: 'percent', percent: 1 }), 1],
    [level(users('a', 'b', 'c'), { kind: 'percent', percent: 66.67 }), 3],
    [level(users('a', 'b', 'c'), { kind: 'percent', percent: 66.66 }), 2],
    [level({ users: [], roles: ['manager'] }, { kind: 'count', required: 3 }), 3],
  ])('%j needs %i', (definition, needed) => {
    expect(approvalsRequired(definition)).toBe(needed);
  });
});

describe('levelOutcome', () => {
  const twoOfThree = level(users('a', 'b', 'c'), { kind: 'count', required: 2 });
  it.each([
    [[], 'pending'],
    [[{ approverId: 'a', decision: 'approve' }], 'pending'],
    [
      [
        { approverId: 'a', decision: 'approve' },
        { approverId: 'a', decision: 'approve' },
      ],
      'pending',
    ],
    [
      [
        { approverId: 'a', decision: 'approve' },
        { approverId: 'b', decision: 'approve' },
      ],
      'approved',
    ],
    [[{ approverId: 'a', decision: 'reject' }], 'rejected'],
    [
      [
        { approverId: 'a', decision: 'approve' },
        { approverId: 'b', decision: 'approve' },
        { approverId: 'c', decision: 'reject' },
      ],
      'rejected',
    ],
  ] as const)('%j → %s', (votes, outcome) => {
    expect(levelOutcome(twoOfThree, votes)).toBe(outcome);
  });

  it('approves exactly when enough distinct approvers approved and nobody rejected (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ approverId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), decision: fc.constantFrom('approve' as const, 'reject' as const) })),
        (required, votes) => {
          const outcome = levelOutcome(level(users('a', 'b', 'c', 'd', 'e', 'f'), { kind: 'count', required }), votes);
          const rejected = votes.some((vote) => vote.decision === 'reject');
          const approvers = new Set(votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.approverId)).size;
          expect(outcome).toBe(rejected ? 'rejected' : approvers >= required ? 'approved' : 'pending');
        },
      ),
    );
  });
});

describe('approval level settings', () => {
  it.each([
    [{ name: 'x', approvers: users('a'), rule: { kind: 'count', required: 1 } }, true],
    [{ name: 'x', approvers: users('a'), rule: { kind: 'count', required: 2 } }, false],
    [{ name: 'x', approvers: { users: [], roles: ['manager'] }, rule: { kind: 'count', required: 5 } }, true],
    [{ name: 'x', approvers: { users: [], roles: ['manager'] }, rule: { kind: 'percent', percent: 50 } }, false],
    [{ name: 'x', approvers: { users: [], roles: [] }, rule: { kind: 'count', required: 1 } }, false],
    [{ name: 'x', approvers: users('a', 'b'), rule: { kind: 'percent', percent: 50 } }, true],
    [{ name: 'x', approvers: users('a', 'b'), rule: { kind: 'percent', percent: 0 } }, false],
  ])('%j valid: %s', (definition, valid) => {
    expect(approvalLevelSchema.safeParse(definition).success).toBe(valid);
  });
});

describe('resolveApprover', () => {
  const cab = level({ users: ['carol'], roles: ['manager'] }, { kind: 'count', required: 1 });
  const delegations: Delegation[] = [
    { from: 'carol', to: 'dave', until: '2026-12-01T00:00:00.000Z' },
    { from: 'erin', to: 'dave', until: null },
    { from: 'carol', to: 'frank', until: '2026-11-01T00:00:00.000Z' },
  ];
  it.each([
    ['a named approver votes as themselves', person('carol', 'agent'), 'carol'],
    ['a member of an approver role', person('mike', 'manager'), 'mike'],
    ['a tenant admin, through the role hierarchy', person('ada', 'tenant-admin'), 'ada'],
    ['a delegate of a named approver votes for them', person('dave', 'agent'), 'carol'],
    ['an expired delegation counts for nothing', person('frank', 'agent'), null],
    ['an agent who is neither', person('zoe', 'agent'), null],
  ])('%s', (_case, actor, expected) => {
    expect(resolveApprover(cab, actor, delegations, NOW)).toBe(expected);
  });
});

describe('castVote', () => {
  const approval = (): Approval =>
    startApproval(
      {
        levels: [level(users('tom'), { kind: 'count', required: 1 }, 'Tech'), level(users('a', 'b', 'c'), { kind: 'count', required: 2 }, 'CAB')],
        timeoutHours: 24,
        onTimeout: 'escalate',
        escalateTo: { users: ['boss'], roles: [] },
      },
      null,
    );
  const vote = (state: Approval, userId: string, decision: 'approve' | 'reject' = 'approve', delegations: Delegation[] = []) =>
    castVote(state, { actor: person(userId, 'agent'), requesterId: 'rita', decision, comment: null, now: NOW }, delegations);

  it('walks the levels in order: level approved, then the change approved at the last quorum', () => {
    const first = vote(approval(), 'tom');
    expect(first.outcome).toBe('level_approved');
    expect(first.approval).toMatchObject({ currentLevel: 1, status: 'pending' });
    const second = vote(first.approval, 'a');
    expect(second.outcome).toBe('recorded');
    const third = vote(second.approval, 'c');
    expect(third.outcome).toBe('approved');
    expect(third.approval).toMatchObject({ currentLevel: 2, status: 'approved' });
    expect(third.approval.decisions.map((decision) => [decision.level, decision.approverId])).toEqual([
      [0, 'tom'],
      [1, 'a'],
      [1, 'c'],
    ]);
  });

  it('any reject rejects, even after approvals', () => {
    const state = vote(vote(approval(), 'tom').approval, 'a').approval;
    const rejected = vote(state, 'b', 'reject');
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.approval.status).toBe('rejected');
    expect(() => vote(rejected.approval, 'c')).toThrow(/already rejected/);
  });

  it.each([
    ['the requester', 'rita', /requester cannot approve/],
    ['someone who is no approver of the current level', 'a', /not an approver of level 1/],
  ])('refuses %s (403)', (_case, userId, message) => {
    expect(() => vote(approval(), userId)).toThrow(message);
    try {
      vote(approval(), userId);
    } catch (error) {
      expect((error as { kind: string }).kind).toBe('forbidden');
    }
  });

  it('refuses the requester even as a delegate of an approver', () => {
    expect(() => vote(approval(), 'rita', 'approve', [{ from: 'tom', to: 'rita', until: null }])).toThrow(/requester/);
  });

  it('an approver acts once per level (409), also through a delegate', () => {
    const state = vote(vote(approval(), 'tom').approval, 'a').approval;
    expect(() => vote(state, 'a')).toThrow(/already decided on level 2/);
    expect(() => vote(state, 'dora', 'approve', [{ from: 'a', to: 'dora', until: null }])).toThrow(/already decided/);
  });

  it('a delegate casts the vote of the approver they stand in for', () => {
    const state = vote(approval(), 'tom').approval;
    const delegated = vote(state, 'dora', 'approve', [{ from: 'b', to: 'dora', until: null }]);
    expect(delegated.decision).toMatchObject({ approverId: 'b', actorId: 'dora' });
  });

  it('times out: escalates once (the escalation approvers join), then expires', () => {
    const escalated = timeOutLevel(approval());
    expect(escalated.outcome).toBe('escalated');
    expect(escalated.approval.levels[0]?.approvers.users).toEqual(['tom', 'boss']);
    expect(vote(escalated.approval, 'boss').outcome).toBe('level_approved');
    const expired = timeOutLevel(escalated.approval);
    expect(expired).toMatchObject({ outcome: 'expired', approval: { status: 'expired' } });
    expect(timeOutLevel({ ...approval(), onTimeout: 'expire' }).outcome).toBe('expired');
  });

  it('a freeze override appends its level last', () => {
    const state = startApproval(
      { levels: [level(users('m'), { kind: 'count', required: 1 }, 'ECAB')], timeoutHours: 4, onTimeout: 'expire', escalateTo: users() },
      level({ users: [], roles: ['tenant-admin'] }, { kind: 'count', required: 1 }, 'Freeze override'),
    );
    expect(state.levels.map((entry) => entry.name)).toEqual(['ECAB', 'Freeze override']);
    expect(state.freezeOverride).toBe(true);
  });
});
