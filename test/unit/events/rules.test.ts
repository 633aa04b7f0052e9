/**
 * The rule list deployed by CDK and evaluated by the local bus: every
 * pattern is valid EventBridge syntax, and each selects what its
 * description promises.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_OF_ACTION } from '#shared/domain/incidents/incident.js';
import { ARMING_EVENT_PATTERN, escalationExecutionName, isArmingChange, rearmedExecutionName } from '#shared/domain/sla/sla-arming.js';
import { eventPatternProblems, matchesEventPattern } from '#shared/events/event-pattern.js';
import { EVENT_RULES } from '#shared/events/rules.js';

const rule = (name: string) => {
  const found = EVENT_RULES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
};

const incidentEvent = (detailType: string, detail: Record<string, unknown>, source = 'itsm.incidents') => ({
  version: '0',
  id: 'e1',
  'detail-type': detailType,
  source,
  account: '000000000000',
  time: '2026-11-22T10:00:00Z',
  region: 'local',
  resources: [],
  detail: { tenantId: 'acme', priority: 3, majorIncident: false, ...detail },
});

describe('event rules', () => {
  it.each(EVENT_RULES.map((spec) => [spec.name, spec]))('%s has a valid pattern and a unique name', (_, spec) => {
    expect(eventPatternProblems(spec.pattern)).toEqual([]);
    expect(EVENT_RULES.filter((other) => other.name === spec.name)).toHaveLength(1);
  });

  it.each([
    { name: 'P1 created', event: incidentEvent('IncidentCreated', { priority: 1 }), matches: true },
    { name: 'major P3 created', event: incidentEvent('IncidentCreated', { majorIncident: true }), matches: true },
    { name: 'raised to P1 by an edit', event: incidentEvent('IncidentUpdated', { priority: 1 }), matches: true },
    { name: 'P1 reopened', event: incidentEvent('IncidentReopened', { priority: 1 }), matches: true },
    { name: 'P2 created', event: incidentEvent('IncidentCreated', { priority: 2 }), matches: false },
    { name: 'P1 resolved', event: incidentEvent('IncidentResolved', { priority: 1 }), matches: false },
    { name: 'P1 from another source', event: incidentEvent('IncidentCreated', { priority: 1 }, 'itsm.changes'), matches: false },
  ])('MajorIncidentsToOnCall: $name → $matches', ({ event, matches }) => {
    expect(matchesEventPattern(rule('MajorIncidentsToOnCall').pattern, event)).toBe(matches);
  });

  it.each([
    {
      name: 'created on a CI',
      event: incidentEvent('IncidentCreated', {
        changes: [
          { field: 'title', from: null, to: 'x' },
          { field: 'ciId', from: null, to: 'ci-1' },
        ],
      }),
      matches: true,
    },
    { name: 'created without a CI', event: incidentEvent('IncidentCreated', { changes: [{ field: 'title', from: null, to: 'x' }] }), matches: false },
    { name: 'moved to a CI by an edit', event: incidentEvent('IncidentUpdated', { changes: [{ field: 'ciId', from: null, to: 'ci-1' }] }), matches: false },
  ])('DetectIncidentTrends: $name → $matches', ({ event, matches }) => {
    expect(matchesEventPattern(rule('DetectIncidentTrends').pattern, event)).toBe(matches);
  });

  it.each([
    { source: 'itsm.incidents', matches: true },
    { source: 'itsm.tenants', matches: true },
    { source: 'aws.cloudwatch', matches: false },
  ])('AllEventsToLogs takes $source → $matches', ({ source, matches }) => {
    expect(matchesEventPattern(rule('AllEventsToLogs').pattern, incidentEvent('X', {}, source))).toBe(matches);
  });
});

describe('the arming pattern agrees with the superseded check; ArmSlaEscalation takes it and every status change (shared/domain/sla-arming.ts)', () => {
  const actions = [
    { action: 'create', detailType: 'IncidentCreated' },
    { action: 'update', detailType: 'IncidentUpdated' },
    { action: 'note', detailType: 'IncidentNoteAdded' },
    ...Object.entries(EVENT_OF_ACTION).map(([action, detailType]) => ({ action, detailType })),
  ];
  const cases = actions.flatMap(({ action, detailType }) => [
    { action, detailType, changes: [{ field: 'status', from: 'a', to: 'b' }] },
    { action, detailType, changes: [{ field: 'priority', from: 4, to: 2 }] },
    { action, detailType, changes: [{ field: 'serviceId', from: null, to: 'erp' }] },
    { action, detailType, changes: [{ field: 'title', from: 'a', to: 'b' }] },
    { action, detailType, changes: [] },
  ]);

  it.each(cases)('$detailType with changes $changes', ({ action, detailType, changes }) => {
    const event = incidentEvent(detailType, { changes, incidentId: 'i1', version: 3 });
    expect(matchesEventPattern(ARMING_EVENT_PATTERN, event)).toBe(isArmingChange(action, changes));
    // Starting work, a hold, a resolution or a cancellation moves or removes the schedule; a title or a note does not.
    const movesTheSchedule = isArmingChange(action, changes) || changes.some((change) => change.field === 'status');
    expect(matchesEventPattern(rule('ArmSlaEscalation').pattern, event)).toBe(movesTheSchedule);
  });

  it('arms on creation, resume, reopen and changes of the fields that choose the SLA only', () => {
    const arming = cases
      .filter(({ action, changes }) => isArmingChange(action, changes))
      .map(({ detailType, changes }) => `${detailType}:${changes[0]?.field ?? '-'}`);
    const byField = (field: string) => arming.filter((key) => key.endsWith(`:${field}`));
    expect(new Set([...byField('status'), ...byField('-'), ...byField('title')])).toEqual(
      new Set([
        'IncidentCreated:status',
        'IncidentCreated:-',
        'IncidentCreated:title',
        'IncidentResumed:status',
        'IncidentResumed:-',
        'IncidentResumed:title',
        'IncidentReopened:status',
        'IncidentReopened:-',
        'IncidentReopened:title',
      ]),
    );
    expect(byField('priority')).toHaveLength(actions.length);
    expect(byField('serviceId')).toHaveLength(actions.length);
  });
});

describe('re-arming names', () => {
  it('are unique per generation and policy versions', () => {
    expect(escalationExecutionName('I1', 4)).toBe('I1-v4');
    expect(rearmedExecutionName('I1', 4, { sla: 2, escalation: 0 })).toBe('I1-v4-s2-e0');
  });

  it('RearmOnPolicyChange takes SLA and escalation policy saves only', () => {
    const pattern = rule('RearmOnPolicyChange').pattern;
    const settings = (detailType: string) => incidentEvent(detailType, { setting: 'x', version: 2 }, 'itsm.tenants');
    expect(matchesEventPattern(pattern, settings('SlaDefinitionUpdated'))).toBe(true);
    expect(matchesEventPattern(pattern, settings('EscalationPolicyUpdated'))).toBe(true);
    expect(matchesEventPattern(pattern, settings('AlertPolicyUpdated'))).toBe(false);
  });
});

describe('continuity rules', () => {
  const changeEvent = (detailType: string, detail: Record<string, unknown>) =>
    incidentEvent(detailType, { type: 'normal', risk: 'low', serviceIds: ['svc'], ...detail }, 'itsm.changes');

  it.each([
    { name: 'emergency change implemented', event: changeEvent('ChangeImplemented', { type: 'emergency' }), matches: true },
    { name: 'high-risk normal change implemented', event: changeEvent('ChangeImplemented', { risk: 'high' }), matches: true },
    { name: 'medium-risk normal change implemented', event: changeEvent('ChangeImplemented', { risk: 'medium' }), matches: false },
    { name: 'emergency change only approved', event: changeEvent('ChangeApproved', { type: 'emergency' }), matches: false },
    { name: 'an incident event', event: incidentEvent('IncidentCreated', { type: 'emergency' }), matches: false },
  ])('RequireContinuityRetest: $name → $matches', ({ event, matches }) => {
    expect(matchesEventPattern(rule('RequireContinuityRetest').pattern, event)).toBe(matches);
  });

  it('StartContinuityTest takes requested tests only', () => {
    const pattern = rule('StartContinuityTest').pattern;
    expect(matchesEventPattern(pattern, incidentEvent('ContinuityTestRequested', {}, 'itsm.continuity'))).toBe(true);
    expect(matchesEventPattern(pattern, incidentEvent('ContinuityTestStarted', {}, 'itsm.continuity'))).toBe(false);
  });
});
