/**
 * The approval rules every practice shares (change CAB, service-request
 * approval): a policy of ordered levels, each with its approvers (users, or
 * role groups from the token) and a quorum rule (M of N, or a percentage of
 * the named users). Levels are decided in order; any reject rejects the
 * record; a level that waits too long escalates (its escalation approvers
 * join it) or expires the approval. Approvers may delegate to a colleague
 * for a period. The requester never approves their own record, and an
 * approver acts once per level. Everything here is pure.
 * @module
 */
import * as z from 'zod';
import { ConflictError, ForbiddenError, UnprocessableError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { type Actor, hasRole, ROLES, type Role } from '#shared/domain/roles.js';

const Identifier = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');

export const approverSetSchema = z.strictObject({
  users: z.array(Identifier).max(50).default([]),
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
});
export type ApproverSet = z.output<typeof approverSetSchema>;

export const quorumRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('count'), required: z.number().int().min(1).max(50) }),
  z.strictObject({ kind: z.literal('percent'), percent: z.number().gt(0).max(100) }),
]);
export type QuorumRule = z.output<typeof quorumRuleSchema>;

export const approvalLevelSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    approvers: approverSetSchema,
    rule: quorumRuleSchema,
  })
  .superRefine((level, ctx) => {
    const named = level.approvers.users.length;
    if (named === 0 && level.approvers.roles.length === 0)
      ctx.addIssue({ code: 'custom', message: 'A level needs at least one approver.', path: ['approvers'] });
    // A percentage needs a known N: the named users. Role groups have no size we can know.
    if (level.rule.kind === 'percent' && (named === 0 || level.approvers.roles.length > 0)) {
      ctx.addIssue({ code: 'custom', message: 'A percent rule needs named users only (no role groups).', path: ['rule'] });
    }
    if (level.rule.kind === 'count' && level.approvers.roles.length === 0 && level.rule.required > named) {
      ctx.addIssue({ code: 'custom', message: `Requires ${level.rule.required} approvals but names only ${named} approvers.`, path: ['rule', 'required'] });
    }
  });
export type ApprovalLevel = z.output<typeof approvalLevelSchema>;

export const ON_TIMEOUT = ['escalate', 'expire'] as const;

export const approvalPolicySchema = z.strictObject({
  levels: z.array(approvalLevelSchema).min(1).max(5),
  /** How long a level may wait for its decision (at most 24 days: local runner timers cannot wait longer). */
  timeoutHours: z
    .number()
    .gt(0)
    .max(24 * 24),
  onTimeout: z.enum(ON_TIMEOUT),
  /** Who joins a level that timed out (escalate); after one escalation a second timeout expires. */
  escalateTo: approverSetSchema.default({ users: [], roles: ['tenant-admin'] }),
});
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;

export const delegationSchema = z
  .strictObject({
    from: Identifier,
    to: Identifier,
    until: z.iso.datetime().nullable().default(null),
  })
  .refine((delegation) => delegation.from !== delegation.to, 'A user cannot delegate to themselves.');
export type Delegation = z.output<typeof delegationSchema>;

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecisionKind = (typeof APPROVAL_DECISIONS)[number];

/** One recorded decision. */
export interface ApprovalDecision {
  /** 0-based index of the level decided on. */
  readonly level: number;
  /** Whose vote it is: the approver, also when a delegate cast it. */
  readonly approverId: string;
  /** Who acted: the approver or their delegate. */
  readonly actorId: string;
  readonly decision: ApprovalDecisionKind;
  readonly comment: string | null;
  readonly at: string;
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** The approval of one record: the policy levels as they were at submission, and the votes. */
export interface Approval {
  readonly levels: readonly ApprovalLevel[];
  readonly timeoutHours: number;
  readonly onTimeout: (typeof ON_TIMEOUT)[number];
  readonly escalateTo: ApproverSet;
  /** 0-based index of the level being decided (= levels.length once approved). */
  readonly currentLevel: number;
  readonly decisions: readonly ApprovalDecision[];
  readonly status: ApprovalStatus;
  /** Escalations of the current level. */
  readonly escalations: number;
  /** Set when an extra level was appended (a change overriding a freeze). */
  readonly freezeOverride: boolean;
}

/** The approval a record starts with; an extra level (a change's freeze override) comes last. */
export function startApproval(policy: ApprovalPolicy, freezeOverride: ApprovalLevel | null): Approval {
  return {
    levels: freezeOverride ? [...policy.levels, freezeOverride] : [...policy.levels],
    timeoutHours: policy.timeoutHours,
    onTimeout: policy.onTimeout,
    escalateTo: policy.escalateTo,
    currentLevel: 0,
    decisions: [],
    status: 'pending',
    escalations: 0,
    freezeOverride: freezeOverride !== null,
  };
}

export type LevelOutcome = 'pending' | 'approved' | 'rejected';

/** Approvals a level needs: M of a count rule, or ⌈percent × N⌉ of the named users. */
export function approvalsRequired(level: ApprovalLevel): number {
  if (level.rule.kind === 'count') return level.rule.required;
  return Math.max(1, Math.ceil((level.rule.percent / 100) * level.approvers.users.length - 1e-9));
}

/** The outcome of one level from its votes: a single reject rejects; enough approvals approve. */
export function levelOutcome(level: ApprovalLevel, decisions: readonly Pick<ApprovalDecision, 'decision' | 'approverId'>[]): LevelOutcome {
  if (decisions.some((vote) => vote.decision === 'reject')) return 'rejected';
  const approvers = new Set(decisions.filter((vote) => vote.decision === 'approve').map((vote) => vote.approverId));
  return approvers.size >= approvalsRequired(level) ? 'approved' : 'pending';
}

/** Whether `user` (with `roles`) sits on `level`. */
function sitsOn(level: ApprovalLevel, userId: string, roles: readonly Role[] | null): boolean {
  if (level.approvers.users.includes(userId)) return true;
  // The role hierarchy applies: a tenant admin sits wherever managers do.
  return roles !== null && level.approvers.roles.some((role) => hasRole({ roles }, role));
}

/**
 * Whose vote the actor casts on `level`: their own when they sit on it,
 * otherwise that of a named approver who delegated to them (still valid at
 * `now`). Role groups are not delegated: their members can stand in for
 * each other. Null when the actor may not vote.
 */
export function resolveApprover(level: ApprovalLevel, actor: Pick<Actor, 'userId' | 'roles'>, delegations: readonly Delegation[], now: string): string | null {
  if (sitsOn(level, actor.userId, actor.roles)) return actor.userId;
  const delegator = delegations.find(
    (delegation) =>
      delegation.to === actor.userId &&
      (delegation.until === null || Date.parse(delegation.until) > Date.parse(now)) &&
      level.approvers.users.includes(delegation.from),
  );
  return delegator ? delegator.from : null;
}

/** What a recorded vote did. */
export type VoteOutcome = 'recorded' | 'level_approved' | 'approved' | 'rejected';

/**
 * Records a vote on the current level. Refuses the requester (403), an
 * actor who is no approver of the level (403), a second vote by the same
 * approver or actor on the level (409), and any vote once the approval is
 * decided (409).
 */
/**
 * Why the actor may not vote on the current level now, or where their vote
 * counts: the one rule behind `castVote` and behind listing approve/reject
 * among a change's actions for its caller.
 */
export function voteEligibility(
  approval: Approval,
  voter: { actor: Pick<Actor, 'userId' | 'roles'>; requesterId: string; now: string; subject?: string },
  delegations: readonly Delegation[],
): { refused: ConflictError | ForbiddenError } | { approverId: string; level: ApprovalLevel; onLevel: ApprovalDecision[] } {
  if (approval.status !== 'pending') return { refused: new ConflictError(`The approval is already ${approval.status}.`, { approvalStatus: approval.status }) };
  const level = approval.levels[approval.currentLevel];
  if (!level) return { refused: new ConflictError('No approval level is pending.') };
  const approverId = resolveApprover(level, voter.actor, delegations, voter.now);
  if (approverId === voter.requesterId || voter.actor.userId === voter.requesterId) {
    return { refused: new ForbiddenError(`The requester cannot approve or reject their own ${voter.subject ?? 'change'}.`) };
  }
  if (approverId === null) return { refused: new ForbiddenError(`You are not an approver of level ${approval.currentLevel + 1} (${level.name}).`) };
  const onLevel = approval.decisions.filter((decision) => decision.level === approval.currentLevel);
  if (onLevel.some((decision) => decision.approverId === approverId || decision.actorId === voter.actor.userId)) {
    return { refused: new ConflictError(`${approverId} has already decided on level ${approval.currentLevel + 1}.`, { level: approval.currentLevel + 1 }) };
  }
  return { approverId, level, onLevel };
}

export function castVote(
  approval: Approval,
  vote: { actor: Pick<Actor, 'userId' | 'roles'>; requesterId: string; decision: ApprovalDecisionKind; comment: string | null; now: string; subject?: string },
  delegations: readonly Delegation[],
): { approval: Approval; outcome: VoteOutcome; decision: ApprovalDecision } {
  const eligibility = voteEligibility(approval, vote, delegations);
  if ('refused' in eligibility) throw eligibility.refused;
  const { approverId, level, onLevel } = eligibility;
  const decision: ApprovalDecision = {
    level: approval.currentLevel,
    approverId,
    actorId: vote.actor.userId,
    decision: vote.decision,
    comment: vote.comment,
    at: vote.now,
  };
  const decisions = [...approval.decisions, decision];
  const outcome = levelOutcome(level, [...onLevel, decision]);
  if (outcome === 'rejected') return { approval: { ...approval, decisions, status: 'rejected' }, outcome: 'rejected', decision };
  if (outcome === 'pending') return { approval: { ...approval, decisions }, outcome: 'recorded', decision };
  const currentLevel = approval.currentLevel + 1;
  const done = currentLevel >= approval.levels.length;
  return {
    approval: { ...approval, decisions, currentLevel, escalations: 0, status: done ? 'approved' : 'pending' },
    outcome: done ? 'approved' : 'level_approved',
    decision,
  };
}

/** What a vote's audit entry and event say of it (levels 1-based; `delegated` when a delegate cast it). */
export function voteFacts(approval: Approval, cast: { decision: ApprovalDecision; outcome: VoteOutcome }) {
  return {
    level: cast.decision.level + 1,
    levelName: approval.levels[cast.decision.level]?.name,
    decision: cast.decision.decision,
    approverId: cast.decision.approverId,
    delegated: cast.decision.approverId !== cast.decision.actorId,
    outcome: cast.outcome,
  };
}

/**
 * A level waited `timeoutHours` without a decision. With `escalate` the
 * escalation approvers join the level once; a second timeout, or `expire`,
 * expires the approval (the record is rejected).
 */
export function timeOutLevel(approval: Approval): { approval: Approval; outcome: 'escalated' | 'expired' } {
  if (approval.status !== 'pending') throw new ConflictError(`The approval is already ${approval.status}.`);
  const level = approval.levels[approval.currentLevel];
  if (!level) throw new UnprocessableError('No approval level is pending.');
  if (approval.onTimeout === 'expire' || approval.escalations > 0) return { approval: { ...approval, status: 'expired' }, outcome: 'expired' };
  const escalated: ApprovalLevel = {
    ...level,
    approvers: {
      users: [...new Set([...level.approvers.users, ...approval.escalateTo.users])],
      roles: [...new Set([...level.approvers.roles, ...approval.escalateTo.roles])],
    },
  };
  const levels = approval.levels.map((candidate, index) => (index === approval.currentLevel ? escalated : candidate));
  return { approval: { ...approval, levels, escalations: approval.escalations + 1 }, outcome: 'escalated' };
}
