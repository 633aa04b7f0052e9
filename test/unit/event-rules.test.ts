/**
 * The rule list deployed by CDK and evaluated by the local bus: every
 * pattern is valid EventBridge syntax, and each selects what its
 * description promises.
 */
import { describe, expect, it } from 'vitest';
import { eventPatternProblems, matchesEventPattern } from '../../shared/events/event-pattern.js';
import { EVENT_RULES } from '../../shared/events/rules.js';

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
    { source: 'itsm.incidents', matches: true },
    { source: 'itsm.tenants', matches: true },
    { source: 'aws.cloudwatch', matches: false },
  ])('AllEventsToLogs takes $source → $matches', ({ source, matches }) => {
    expect(matchesEventPattern(rule('AllEventsToLogs').pattern, incidentEvent('X', {}, source))).toBe(matches);
  });
});
