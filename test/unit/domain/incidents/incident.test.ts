import { describe, expect, it } from 'vitest';
import { ConflictError, DomainError, ForbiddenError, IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import {
  addNote,
  applyIncidentAction,
  canView,
  createIncident,
  groupAtCreation,
  type Incident,
  type IncidentCommand,
  type IncidentNote,
  type NewIncidentInput,
  patchReprioritises,
  updateIncident,
  visibleNotes,
} from '#shared/domain/incidents/incident.js';
import type { IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import { DEFAULT_PRIORITY_MATRIX, type PriorityMatrix } from '#shared/domain/incidents/priority-matrix.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { incidentFixture } from '../../../support/incident-fixture.js';
import { thrownBy } from '../../../support/thrown-by.js';

const TENANT = 'acme';
const CREATED = '2025-01-10T09:00:00.000Z';
const NOW = '2025-01-11T10:30:00.000Z';

function actor(userId: string, roles: Role[], tenantId = TENANT): Actor {
  return { tenantId, userId, roles };
}

const requester = actor('req-1', ['requester']);
const otherRequester = actor('req-2', ['requester']);
const agent = actor('agent-1', ['agent']);
const manager = actor('mgr-1', ['manager']);
const tenantAdmin = actor('admin-1', ['tenant-admin']);

/**
 * A matrix that differs from the default in several cells, so a test can
 * tell which matrix a priority came from.
 */
const CUSTOM_MATRIX: PriorityMatrix = [
  [1, 1, 2],
  [1, 2, 4],
  [2, 4, 5],
];

const input: NewIncidentInput = {
  title: 'VPN down',
  description: 'Cannot connect since 9:00',
  category: 'network',
  type: 'network',
  impact: 2,
  urgency: 2,
  channel: 'portal',
};

/** A stored incident raised by `requester`, in `status`, with overrides. */
const incident = incidentFixture;

const resolved = () =>
  incident({
    status: 'resolved',
    assignmentGroup: 'network-ops',
    assigneeId: agent.userId,
    dispatch: { count: 1, returned: 0 },
    resolution: { code: 'solved_permanently', notes: 'Restarted the concentrator', resolvedBy: agent.userId },
  });

const fieldsOf = (changes: readonly { field: string }[]) => changes.map((change) => change.field).sort();

describe('createIncident', () => {
  it.each([
    { impact: 1, urgency: 1, priority: 1 },
    { impact: 1, urgency: 2, priority: 1 },
    { impact: 2, urgency: 1, priority: 1 },
    { impact: 2, urgency: 2, priority: 2 },
    { impact: 2, urgency: 3, priority: 4 },
    { impact: 3, urgency: 3, priority: 5 },
  ] as const)('takes the priority from the tenant matrix: impact $impact × urgency $urgency → P$priority', ({ impact, urgency, priority }) => {
    const { incident: created } = createIncident(
      { ...input, impact, urgency },
      { id: 'i1', number: 'INC0001001' },
      { actor: agent, now: NOW, matrix: CUSTOM_MATRIX },
    );

    expect(created.priority).toBe(priority);
  });

  it('dispatches at creation when staff name a group: assigned, first dispatch counted; a requester naming one is 403', () => {
    const change = createIncident(
      { ...input, assignmentGroup: 'desk' },
      { id: 'i1', number: 'INC0001001' },
      { actor: agent, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX },
    );

    expect(change.incident).toMatchObject({
      assignmentGroup: 'desk',
      status: 'assigned',
      dispatch: { count: 1, returned: 0 },
      statusChangedAt: { new: NOW, assigned: NOW },
    });
    expect(change.facts).toEqual({ dispatched: true });
    expect(groupAtCreation({ assignmentGroup: null }, requester)).toBeNull();
    expect(thrownBy(() => groupAtCreation({ assignmentGroup: 'desk' }, requester))).toBeInstanceOf(ForbiddenError);
    expect(
      thrownBy(() =>
        createIncident(
          { ...input, assignmentGroup: 'desk' },
          { id: 'i1', number: 'INC0001001' },
          { actor: requester, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX },
        ),
      ),
    ).toBeInstanceOf(ForbiddenError);
  });

  it('starts a new record: status new, version 1, stamped by the caller, in the caller tenant', () => {
    // Act
    const change = createIncident(input, { id: 'i1', number: 'INC0001001' }, { actor: agent, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX });

    // Assess
    expect(change.incident).toMatchObject({
      id: 'i1',
      number: 'INC0001001',
      tenantId: TENANT,
      status: 'new',
      version: 1,
      createdAt: NOW,
      createdBy: agent.userId,
      updatedAt: NOW,
      updatedBy: agent.userId,
      assignmentGroup: null,
      assigneeId: null,
      subcategory: null,
      majorIncident: false,
      dispatch: { count: 0, returned: 0 },
      reopenCount: 0,
      statusChangedAt: { new: NOW },
    });
    expect(change.action).toBe('create');
    expect(change.eventType).toBe('IncidentCreated');
    // The creation diff lists the fields that have a value, and only those.
    expect(fieldsOf(change.changes)).toEqual(
      ['title', 'description', 'category', 'type', 'impact', 'urgency', 'priority', 'majorIncident', 'channel', 'requesterId', 'status'].sort(),
    );
    expect(change.changes.every((c) => c.from === null)).toBe(true);
  });

  it.each([
    { name: 'names nobody', requesterId: undefined },
    { name: 'names themselves', requesterId: requester.userId },
  ])('a requester who $name raises the incident for themselves', ({ requesterId }) => {
    const { incident: created } = createIncident(
      { ...input, requesterId },
      { id: 'i1', number: 'INC0001001' },
      { actor: requester, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX },
    );

    expect(created.requesterId).toBe(requester.userId);
  });

  it('a requester who names someone else is forbidden', () => {
    const error = thrownBy(() =>
      createIncident(
        { ...input, requesterId: otherRequester.userId },
        { id: 'i1', number: 'INC0001001' },
        { actor: requester, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX },
      ),
    );

    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).kind).toBe('forbidden');
  });

  it.each([
    { role: 'agent', caller: agent },
    { role: 'manager', caller: manager },
    { role: 'tenant-admin', caller: tenantAdmin },
  ])('a $role may log an incident on behalf of a requester', ({ caller }) => {
    const { incident: created } = createIncident(
      { ...input, channel: 'phone', requesterId: requester.userId },
      { id: 'i1', number: 'INC0001001' },
      { actor: caller, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX },
    );

    expect(created.requesterId).toBe(requester.userId);
    expect(created.createdBy).toBe(caller.userId);
  });

  it('staff who name nobody are the requester', () => {
    const { incident: created } = createIncident(input, { id: 'i1', number: 'INC0001001' }, { actor: agent, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX });

    expect(created.requesterId).toBe(agent.userId);
  });
});

describe('canView', () => {
  it.each([
    { name: 'the requester sees their own incident', viewer: requester, expected: true },
    { name: 'another requester does not', viewer: otherRequester, expected: false },
    { name: 'an agent sees every incident of the tenant', viewer: agent, expected: true },
    { name: 'a manager sees every incident of the tenant', viewer: manager, expected: true },
    { name: 'an agent of another tenant does not', viewer: actor('agent-1', ['agent'], 'globex'), expected: false },
    { name: 'the same user id in another tenant does not', viewer: actor(requester.userId, ['requester'], 'globex'), expected: false },
    { name: 'a tenant admin of another tenant does not', viewer: actor('admin-9', ['tenant-admin'], 'globex'), expected: false },
    { name: 'a caller with no roles sees only their own', viewer: actor('nobody', []), expected: false },
  ])('$name', ({ viewer, expected }) => {
    expect(canView(viewer, incident())).toBe(expected);
  });
});

describe('applyIncidentAction: role rules', () => {
  const staffOnly: { name: string; status: IncidentStatus; command: IncidentCommand }[] = [
    { name: 'assign', status: 'new', command: { action: 'assign', assignmentGroup: 'network-ops' } },
    { name: 'start', status: 'assigned', command: { action: 'start' } },
    { name: 'hold', status: 'in_progress', command: { action: 'hold', reason: 'awaiting_customer' } },
    { name: 'resume', status: 'on_hold', command: { action: 'resume' } },
    { name: 'resolve', status: 'in_progress', command: { action: 'resolve', code: 'resolved_by_caller', notes: 'It works now' } },
    { name: 'cancel', status: 'new', command: { action: 'cancel', reason: 'Raised twice' } },
  ];

  it.each(staffOnly)('a requester may not $name even their own incident', ({ status, command }) => {
    const error = thrownBy(() => applyIncidentAction(incident({ status, assignmentGroup: 'network-ops' }), command, { actor: requester, now: NOW }));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each([
    { name: 'close', command: { action: 'close' } as IncidentCommand, status: 'closed' },
    { name: 'reopen', command: { action: 'reopen', reason: 'Still broken' } as IncidentCommand, status: 'in_progress' },
  ])('a requester may $name their own resolved incident', ({ command, status }) => {
    const { incident: next } = applyIncidentAction(resolved(), command, { actor: requester, now: NOW });

    expect(next.status).toBe(status);
  });

  it('an agent can dispatch an unassigned incident to any group', () => {
    const { incident: next } = applyIncidentAction(
      incident(),
      { action: 'assign', assignmentGroup: 'network-ops', assigneeId: agent.userId },
      { actor: agent, now: NOW },
    );

    expect(next).toMatchObject({ status: 'assigned', assignmentGroup: 'network-ops', assigneeId: agent.userId });
  });

  it('an agent can assign within the same group', () => {
    const current = incident({ status: 'in_progress', assignmentGroup: 'network-ops', assigneeId: 'agent-7', dispatch: { count: 1, returned: 0 } });

    const { incident: next } = applyIncidentAction(
      current,
      { action: 'assign', assignmentGroup: 'network-ops', assigneeId: agent.userId },
      { actor: agent, now: NOW },
    );

    expect(next).toMatchObject({ status: 'assigned', assignmentGroup: 'network-ops', assigneeId: agent.userId });
  });

  it('an agent may not reassign to another group', () => {
    const current = incident({ status: 'assigned', assignmentGroup: 'network-ops', dispatch: { count: 1, returned: 0 } });

    const error = thrownBy(() => applyIncidentAction(current, { action: 'assign', assignmentGroup: 'desktop' }, { actor: agent, now: NOW }));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each([
    { role: 'manager', caller: manager },
    { role: 'tenant-admin', caller: tenantAdmin },
  ])('a $role may reassign to another group', ({ caller }) => {
    const current = incident({ status: 'assigned', assignmentGroup: 'network-ops', dispatch: { count: 1, returned: 0 } });

    const { incident: next } = applyIncidentAction(current, { action: 'assign', assignmentGroup: 'desktop' }, { actor: caller, now: NOW });

    expect(next.assignmentGroup).toBe('desktop');
  });

  it('an agent may not cancel', () => {
    const error = thrownBy(() => applyIncidentAction(incident(), { action: 'cancel', reason: 'Duplicate' }, { actor: agent, now: NOW }));

    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each([
    { role: 'manager', caller: manager },
    { role: 'tenant-admin', caller: tenantAdmin },
  ])('a $role may cancel, and the cancellation names them', ({ caller }) => {
    const { incident: next } = applyIncidentAction(
      incident({ status: 'on_hold', holdReason: 'awaiting_vendor' }),
      { action: 'cancel', reason: 'Duplicate' },
      { actor: caller, now: NOW },
    );

    expect(next).toMatchObject({ status: 'cancelled', holdReason: null, cancellation: { reason: 'Duplicate', cancelledBy: caller.userId } });
  });

  it('the life cycle still applies to a permitted role: a manager cannot cancel a closed incident', () => {
    const error = thrownBy(() => applyIncidentAction(incident({ status: 'closed' }), { action: 'cancel', reason: 'x' }, { actor: manager, now: NOW }));

    expect(error).toBeInstanceOf(IllegalTransitionError);
  });
});

describe('applyIncidentAction: dispatch counting', () => {
  it.each([
    {
      name: 'first dispatch to a group',
      before: { group: null, assignee: null, count: 0, returned: 0 },
      command: { group: 'network-ops', assignee: null },
      after: { count: 1, returned: 0 },
      facts: { dispatched: true, returnedDispatch: false, previousGroup: null },
    },
    {
      name: 'hand-back to another group',
      before: { group: 'network-ops', assignee: 'agent-7', count: 1, returned: 0 },
      command: { group: 'desktop', assignee: null },
      after: { count: 2, returned: 1 },
      facts: { dispatched: true, returnedDispatch: true, previousGroup: 'network-ops' },
    },
    {
      name: 'new assignee in the same group',
      before: { group: 'network-ops', assignee: 'agent-7', count: 1, returned: 0 },
      command: { group: 'network-ops', assignee: 'agent-8' },
      after: { count: 1, returned: 0 },
      facts: { dispatched: false, returnedDispatch: false, previousGroup: 'network-ops' },
    },
    {
      name: 'third group after a hand-back',
      before: { group: 'desktop', assignee: null, count: 2, returned: 1 },
      command: { group: 'security', assignee: null },
      after: { count: 3, returned: 2 },
      facts: { dispatched: true, returnedDispatch: true, previousGroup: 'desktop' },
    },
  ])('$name', ({ before, command, after, facts }) => {
    // Prepare
    const current = incident({
      status: before.group ? 'in_progress' : 'new',
      assignmentGroup: before.group,
      assigneeId: before.assignee,
      dispatch: { count: before.count, returned: before.returned },
    });

    // Act: a manager, so that role rules do not get in the way.
    const change = applyIncidentAction(
      current,
      { action: 'assign', assignmentGroup: command.group, assigneeId: command.assignee },
      { actor: manager, now: NOW },
    );

    // Assess
    expect(change.incident.dispatch).toEqual(after);
    expect(change.facts).toEqual(facts);
    expect(change.eventType).toBe('IncidentAssigned');
  });
});

describe('applyIncidentAction: stamping and audit diff', () => {
  const cases: { name: string; before: Partial<Incident>; command: IncidentCommand; caller: Actor; changed: string[] }[] = [
    {
      name: 'assign a new incident',
      before: {},
      command: { action: 'assign', assignmentGroup: 'network-ops', assigneeId: 'agent-1' },
      caller: agent,
      changed: ['status', 'assignmentGroup', 'assigneeId'],
    },
    {
      name: 'start work on an assigned incident already given to someone',
      before: { status: 'assigned', assignmentGroup: 'network-ops', assigneeId: 'agent-1' },
      command: { action: 'start' },
      caller: agent,
      changed: ['status'],
    },
    {
      name: 'start work on an unowned assigned incident takes it',
      before: { status: 'assigned', assignmentGroup: 'network-ops' },
      command: { action: 'start' },
      caller: agent,
      changed: ['status', 'assigneeId'],
    },
    {
      name: 'hold',
      before: { status: 'in_progress', assignmentGroup: 'network-ops', assigneeId: 'agent-1' },
      command: { action: 'hold', reason: 'awaiting_vendor' },
      caller: agent,
      changed: ['status', 'holdReason'],
    },
    {
      name: 'resume',
      before: { status: 'on_hold', holdReason: 'awaiting_customer', assignmentGroup: 'network-ops', assigneeId: 'agent-1' },
      command: { action: 'resume' },
      caller: agent,
      changed: ['status', 'holdReason'],
    },
    {
      name: 'resolve from hold',
      before: { status: 'on_hold', holdReason: 'awaiting_customer', assignmentGroup: 'network-ops', assigneeId: 'agent-1' },
      command: { action: 'resolve', code: 'solved_workaround', notes: 'Use the web VPN' },
      caller: agent,
      changed: ['status', 'holdReason', 'resolution'],
    },
    {
      name: 'close',
      before: { status: 'resolved', resolution: { code: 'duplicate', notes: 'See INC0001000', resolvedBy: 'agent-1' } },
      command: { action: 'close' },
      caller: agent,
      changed: ['status', 'closure'],
    },
    {
      name: 'reopen',
      before: { status: 'resolved', resolution: { code: 'duplicate', notes: 'See INC0001000', resolvedBy: 'agent-1' } },
      command: { action: 'reopen', reason: 'Not a duplicate' },
      caller: requester,
      changed: ['status', 'resolution'],
    },
    { name: 'cancel', before: {}, command: { action: 'cancel', reason: 'Raised in error' }, caller: manager, changed: ['status', 'cancellation'] },
  ];

  it.each(cases)('$name: version +1, stamped, diff lists exactly the changed fields', ({ before, command, caller, changed }) => {
    // Prepare
    const current = incident(before);

    // Act
    const change = applyIncidentAction(current, command, { actor: caller, now: NOW });

    // Assess
    expect(change.incident.version).toBe(current.version + 1);
    expect(change.incident.updatedAt).toBe(NOW);
    expect(change.incident.updatedBy).toBe(caller.userId);
    expect(change.incident.createdAt).toBe(CREATED);
    expect(change.incident.statusChangedAt).toEqual({ ...current.statusChangedAt, [change.incident.status]: NOW });
    expect(fieldsOf(change.changes)).toEqual([...changed].sort());
    for (const { field, from, to } of change.changes) {
      expect(from).toEqual(current[field as keyof Incident]);
      expect(to).toEqual(change.incident[field as keyof Incident]);
    }
    expect(change.action).toBe(command.action);
  });

  it('does not modify the incident it was given', () => {
    const current = incident();
    const snapshot = structuredClone(current);

    applyIncidentAction(current, { action: 'assign', assignmentGroup: 'network-ops' }, { actor: agent, now: NOW });

    expect(current).toEqual(snapshot);
  });
});

describe('applyIncidentAction: reopen and close', () => {
  it('reopen clears the resolution and counts the reopen', () => {
    const current = { ...resolved(), reopenCount: 2 };

    const change = applyIncidentAction(current, { action: 'reopen', reason: 'Still broken' }, { actor: requester, now: NOW });

    expect(change.incident).toMatchObject({ status: 'in_progress', resolution: null, reopenCount: 3 });
    expect(change.facts).toEqual({ reason: 'Still broken' });
    expect(change.eventType).toBe('IncidentReopened');
  });

  it.each([
    { name: 'the requester', caller: requester, confirmation: 'requester' },
    { name: 'an agent on their behalf', caller: agent, confirmation: 'agent' },
  ])('close by $name records confirmation $confirmation', ({ caller, confirmation }) => {
    const change = applyIncidentAction(resolved(), { action: 'close', note: 'Thanks' }, { actor: caller, now: NOW });

    expect(change.incident.status).toBe('closed');
    expect(change.incident.closure).toEqual({ confirmedBy: caller.userId, confirmation, note: 'Thanks' });
  });

  it('close without a note records a null note', () => {
    const change = applyIncidentAction(resolved(), { action: 'close' }, { actor: requester, now: NOW });

    expect(change.incident.closure?.note).toBeNull();
  });
});

describe('updateIncident', () => {
  it.each([
    { name: 'impact', patch: { impact: 1 as const }, priority: 1 },
    { name: 'urgency', patch: { urgency: 3 as const }, priority: 4 },
    { name: 'both', patch: { impact: 3 as const, urgency: 3 as const }, priority: 5 },
  ])('changing $name recomputes the priority under the given matrix', ({ patch, priority }) => {
    // Prepare: impact 2 × urgency 2, priority 3 under the default matrix.
    const current = incident();
    expect(patchReprioritises(current, patch)).toBe(true);

    // Act
    const change = updateIncident(current, patch, { actor: agent, now: NOW, matrix: CUSTOM_MATRIX });

    // Assess
    expect(change.incident.priority).toBe(priority);
    expect(fieldsOf(change.changes)).toEqual([...Object.keys(patch), 'priority'].sort());
  });

  it('a change of impact that lands on the same priority does not list priority', () => {
    // CUSTOM_MATRIX: impact 1 and 2 at urgency 1 are both P1.
    const current = incident({ impact: 1, urgency: 1, priority: 1 });

    const change = updateIncident(current, { impact: 2 }, { actor: agent, now: NOW, matrix: CUSTOM_MATRIX });

    expect(fieldsOf(change.changes)).toEqual(['impact']);
  });

  it('does not need (or apply) the matrix when impact and urgency stay the same', () => {
    // Prepare: a priority the current matrix would no longer give.
    const current = incident({ priority: 4 });
    const patch = { title: 'VPN down for the whole floor', impact: 2 as const };
    expect(patchReprioritises(current, patch)).toBe(false);

    // Act
    const change = updateIncident(current, patch, { actor: agent, now: NOW, matrix: null });

    // Assess
    expect(change.incident.priority).toBe(4);
    expect(fieldsOf(change.changes)).toEqual(['title']);
  });

  it('refuses to reprioritise without a matrix', () => {
    expect(() => updateIncident(incident(), { urgency: 1 }, { actor: agent, now: NOW, matrix: null })).toThrow(/matrix/);
  });

  it('stamps the change and increments the version', () => {
    const current = incident();

    const change = updateIncident(current, { majorIncident: true, subcategory: 'vpn' }, { actor: manager, now: NOW, matrix: null });

    expect(change.incident).toMatchObject({ version: current.version + 1, updatedAt: NOW, updatedBy: manager.userId, majorIncident: true, subcategory: 'vpn' });
    expect(change.eventType).toBe('IncidentUpdated');
    expect(fieldsOf(change.changes)).toEqual(['majorIncident', 'subcategory']);
  });

  it('clears a field patched to null', () => {
    const current = incident({ ciId: 'ci-42' });

    const change = updateIncident(current, { ciId: null }, { actor: agent, now: NOW, matrix: null });

    expect(change.incident.ciId).toBeNull();
    expect(change.changes).toEqual([{ field: 'ciId', from: 'ci-42', to: null }]);
  });

  it.each(['closed', 'cancelled'] as const)('refuses to edit a %s incident with a 409', (status) => {
    const error = thrownBy(() => updateIncident(incident({ status }), { title: 'New title' }, { actor: agent, now: NOW, matrix: null }));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).kind).toBe('conflict');
  });

  it.each([
    { name: 'an empty patch', patch: {} },
    { name: 'only undefined members', patch: { title: undefined, impact: undefined } },
    { name: 'the current values', patch: { title: 'VPN down', impact: 2 as const, urgency: 2 as const, majorIncident: false } },
  ])('refuses $name with a 422', ({ patch }) => {
    const error = thrownBy(() => updateIncident(incident(), patch, { actor: agent, now: NOW, matrix: DEFAULT_PRIORITY_MATRIX }));

    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).kind).toBe('unprocessable');
  });

  it('is for staff only', () => {
    const error = thrownBy(() => updateIncident(incident(), { title: 'Mine' }, { actor: requester, now: NOW, matrix: null }));

    expect(error).toBeInstanceOf(ForbiddenError);
  });
});

describe('notes', () => {
  it('a requester cannot add a work note', () => {
    const error = thrownBy(() => addNote(incident(), { visibility: 'work_note', body: 'internal' }, 'n1', { actor: requester, now: NOW }));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toBeInstanceOf(DomainError);
  });

  it.each([
    { name: 'a requester adds a comment', caller: requester, visibility: 'comment' as const },
    { name: 'an agent adds a work note', caller: agent, visibility: 'work_note' as const },
    { name: 'an agent adds a comment', caller: agent, visibility: 'comment' as const },
  ])('$name: the note is recorded and the incident version bumped', ({ caller, visibility }) => {
    // Prepare
    const current = incident();

    // Act
    const change = addNote(current, { visibility, body: 'Any news?' }, 'n1', { actor: caller, now: NOW });

    // Assess
    expect(change.note).toEqual({ id: 'n1', incidentId: current.id, visibility, body: 'Any news?', authorId: caller.userId, createdAt: NOW });
    expect(change.incident).toEqual({ ...current, version: current.version + 1, updatedAt: NOW, updatedBy: caller.userId });
    expect(change.changes).toEqual([]);
    expect(change.eventType).toBe('IncidentNoteAdded');
    expect(change.facts).toEqual({ noteId: 'n1', visibility });
  });

  it('notes may still be added to a closed incident', () => {
    expect(() => addNote(incident({ status: 'closed' }), { visibility: 'comment', body: 'Follow-up' }, 'n1', { actor: agent, now: NOW })).not.toThrow();
  });

  const notes: IncidentNote[] = [
    { id: 'n1', incidentId: 'i', visibility: 'work_note', body: 'internal', authorId: 'agent-1', createdAt: CREATED },
    { id: 'n2', incidentId: 'i', visibility: 'comment', body: 'public', authorId: 'agent-1', createdAt: CREATED },
    { id: 'n3', incidentId: 'i', visibility: 'work_note', body: 'internal 2', authorId: 'agent-1', createdAt: CREATED },
    { id: 'n4', incidentId: 'i', visibility: 'comment', body: 'reply', authorId: 'req-1', createdAt: CREATED },
  ];

  it.each([
    { name: 'a requester sees only comments', viewer: requester, ids: ['n2', 'n4'] },
    { name: 'an agent sees everything', viewer: agent, ids: ['n1', 'n2', 'n3', 'n4'] },
    { name: 'a tenant admin sees everything', viewer: tenantAdmin, ids: ['n1', 'n2', 'n3', 'n4'] },
  ])('visibleNotes: $name', ({ viewer, ids }) => {
    expect(visibleNotes(viewer, notes).map((note) => note.id)).toEqual(ids);
  });
});
