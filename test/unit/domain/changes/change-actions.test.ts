/**
 * `allowedActions` of a change is a function of its state and the caller:
 * every listed action, performed by that caller, is accepted; every action
 * the caller is accepted for through the API is listed; the workflow's own
 * steps (schedule, start, roll back, expire) are never listed. Exhaustive
 * over types, statuses, callers (requester, approvers, a delegate, staff who
 * sit on no level) and a level where a caller already voted.
 */
import { describe, expect, it } from 'vitest';
import {
  assessChange,
  type Change,
  cancelChange,
  changeActionsFor,
  closeChange,
  createChange,
  PEOPLE_CHANGE_ACTIONS,
  reportImplementation,
  submitChange,
  voteOnChange,
} from '#shared/domain/changes/change.js';
import { type ApprovalSettings, defaultApprovalSettings } from '#shared/domain/changes/change-approval.js';
import { CHANGE_ACTIONS, CHANGE_STATUSES, CHANGE_TYPES, type ChangeAction } from '#shared/domain/changes/change-lifecycle.js';
import { defaultRiskQuestionnaire } from '#shared/domain/changes/change-risk.js';
import { type Actor, hasRole, type Role } from '#shared/domain/roles.js';
import { changeRoutes } from '#shared/http/changes/routes.js';

const NOW = '2026-11-23T10:00:00.000Z';
const TEMPLATE = { id: 'os-patch', name: 'OS patch', category: 'patching', implementationPlan: 'apply', testPlan: 'check', backoutPlan: 'revert' };
const LOW = { 'users-affected': 'none', complexity: 'simple', tested: 'yes', backout: 'proven', outage: 'no' };
const person = (userId: string, roles: Role[]): Actor => ({ tenantId: 'acme', userId, roles });
const alice = person('alice', ['agent']); // raises every change

/** Carol approves emergencies by name and delegated to Dave, an agent who sits on no level himself. */
const settings: ApprovalSettings = (() => {
  const base = defaultApprovalSettings();
  const level = base.emergency.levels[0] as ApprovalSettings['emergency']['levels'][number];
  return {
    ...base,
    emergency: { ...base.emergency, levels: [{ ...level, approvers: { users: ['carol'], roles: ['manager'] } }] },
    delegations: [{ from: 'carol', to: 'dave', until: null }],
  };
})();

/** A change of `type` as submitted (normal and emergency carry their approval), put in `status`. */
function changeIn(type: Change['type'], status: Change['status']): Change {
  const input = {
    type,
    title: 'Patch',
    description: 'd',
    justification: 'j',
    ...(type === 'standard' ? { templateId: 'os-patch' } : { category: 'c', implementationPlan: 'i', testPlan: 't', backoutPlan: 'b' }),
    ciIds: ['db-01'],
    serviceIds: [],
    plannedStart: '2026-11-24T01:00:00.000Z',
    plannedEnd: '2026-11-24T02:00:00.000Z',
  };
  const created = createChange(input, { id: 'C1', number: 'CHG0001001' }, { actor: alice, now: NOW }, type === 'standard' ? TEMPLATE : null).change;
  const submitted = submitChange(created, { actor: alice, now: NOW }, [], settings).change;
  return { ...submitted, status };
}

function perform(change: Change, action: ChangeAction, actor: Actor): void {
  const ctx = { actor, now: NOW };
  switch (action) {
    case 'submit':
      submitChange(change, ctx, [], settings);
      return;
    case 'assess':
      assessChange(change, ctx, { impact: 'i', resources: 'r', riskAnswers: LOW, continuityImpact: false }, defaultRiskQuestionnaire());
      return;
    case 'approve':
    case 'reject':
      voteOnChange(change, ctx, { decision: action, comment: null }, settings.delegations);
      return;
    case 'complete':
    case 'fail':
      reportImplementation(change, ctx, { result: action === 'complete' ? 'success' : 'failed', notes: 'n' });
      return;
    case 'close':
      closeChange(change, ctx, 'reviewed');
      return;
    case 'cancel':
      cancelChange(change, ctx, 'not needed');
      return;
    default:
      // Workflow steps: no route performs them for a caller.
      throw new Error(`${action} is the workflow's`);
  }
}

/** The route each API action is taken through: its roles are the first check a caller meets. */
const ROUTE_OF: Partial<Record<ChangeAction, keyof typeof changeRoutes>> = {
  submit: 'submitChange',
  assess: 'assessChange',
  approve: 'recordApproval',
  reject: 'recordApproval',
  complete: 'reportImplementation',
  fail: 'reportImplementation',
  close: 'closeChange',
  cancel: 'cancelChange',
};

/** Accepted through the API: the route admits the caller and the domain rule accepts the action. */
const accepted = (change: Change, action: ChangeAction, actor: Actor) => {
  const route = ROUTE_OF[action];
  if (!route) return false;
  const roles = changeRoutes[route].roles;
  if (roles === 'public' || !roles.some((role) => hasRole(actor, role))) return false;
  try {
    perform(change, action, actor);
    return true;
  } catch {
    return false;
  }
};

const CALLERS = [
  { name: 'its requester', actor: alice },
  { name: 'another agent', actor: person('bob', ['agent']) },
  { name: 'a manager', actor: person('maya', ['manager']) },
  { name: 'a tenant admin', actor: person('ada', ['tenant-admin']) },
  { name: 'a named approver', actor: person('carol', ['agent']) },
  { name: 'a delegate', actor: person('dave', ['agent']) },
  { name: 'a requester (role)', actor: person('rita', ['requester']) },
];

const cases = CHANGE_TYPES.flatMap((type) =>
  CHANGE_STATUSES.flatMap((status) => CALLERS.map(({ name, actor }) => ({ type, status, caller: name, actor, change: changeIn(type, status) }))),
);

describe('change allowedActions for the caller', () => {
  it.each(cases)('$type $status, $caller: listed ⇔ accepted', ({ change, actor }) => {
    const listed = changeActionsFor(change, { actor, now: NOW }, settings.delegations);
    expect(listed).toEqual(CHANGE_ACTIONS.filter((action) => accepted(change, action, actor)));
    expect(listed.every((action) => PEOPLE_CHANGE_ACTIONS.includes(action))).toBe(true);
    for (const internal of ['expire', 'schedule', 'start', 'rollback'] as const) expect(listed).not.toContain(internal);
  });

  it('a caller who already voted on the level is no longer offered approve or reject', () => {
    const waiting = changeIn('normal', 'authorise');
    const voted = voteOnChange(waiting, { actor: person('bob', ['agent']), now: NOW }, { decision: 'approve', comment: null }, []).change;
    const maya = person('maya', ['manager']);
    // Bob's vote decided level 1; on the CAB level Maya may vote, Bob may not (an agent).
    expect(changeActionsFor(voted, { actor: maya, now: NOW }, [])).toEqual(['approve', 'reject', 'cancel']);
    const mayaVoted = voteOnChange(voted, { actor: maya, now: NOW }, { decision: 'approve', comment: null }, []).change;
    expect(changeActionsFor(mayaVoted, { actor: maya, now: NOW }, [])).toEqual(['cancel']);
    expect(accepted(mayaVoted, 'approve', maya)).toBe(false);
  });

  it('an emergency change awaiting approval lists no workflow step, and nothing to vote for its requester', () => {
    expect(changeActionsFor(changeIn('emergency', 'authorise'), { actor: alice, now: NOW }, settings.delegations)).toEqual(['cancel']);
    expect(changeActionsFor(changeIn('emergency', 'authorise'), { actor: person('maya', ['manager']), now: NOW }, [])).toEqual(['approve', 'reject', 'cancel']);
  });
});
