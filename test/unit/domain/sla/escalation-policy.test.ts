/**
 * Escalation levels, table-driven: clocks replayed from a scripted ledger at
 * a given moment, with the steps already taken, give the steps due now and
 * when the next one comes; plus the policy's validation and the incident
 * change each kind makes.
 */
import { describe, expect, it } from 'vitest';
import { createIncident } from '#shared/domain/incidents/incident.js';
import type { IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import { DEFAULT_PRIORITY_MATRIX, type Priority } from '#shared/domain/incidents/priority-matrix.js';
import { businessCalendarSchema, officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';
import {
  defaultEscalationPolicy,
  type EscalationLevel,
  type EscalationPolicy,
  escalationChange,
  escalationKey,
  escalationPolicySchema,
  needsGroupTargets,
  planEscalations,
} from '#shared/domain/sla/escalation-policy.js';
import { computeSlaClock, type SlaLedgerEntry } from '#shared/domain/sla/sla-clock.js';
import { defaultSlaDefinition } from '#shared/domain/sla/sla-definition.js';

const HOUR = 3_600_000;
const sla247 = defaultSlaDefinition(businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true }));
/** Monday 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);
const h = (hours: number) => new Date(T0 + hours * HOUR);

type Line = { at: number; status?: IncidentStatus; priority?: Priority; hold?: 'awaiting_customer' };
function ledger(lines: readonly Line[]): SlaLedgerEntry[] {
  let status: IncidentStatus = 'new';
  let priority: Priority = 3;
  return lines.map((line) => {
    status = line.status ?? status;
    priority = line.priority ?? priority;
    return { at: h(line.at), status, holdReason: line.hold ?? null, priority };
  });
}

const notify = (overrides: Partial<EscalationLevel> = {}): EscalationLevel => ({
  name: 'Managers',
  metric: 'resolution',
  trigger: { threshold: 1 },
  kind: 'hierarchical',
  notifyRoles: ['manager'],
  ...overrides,
});

function plan(levels: EscalationLevel[], lines: Line[], nowHours: number, taken: (clockStart: Date) => string[] = () => []) {
  const now = h(nowHours);
  const clocks = computeSlaClock(sla247, ledger(lines), now);
  const result = planEscalations({ levels }, clocks, new Set(taken(h(0))), sla247.calendar, now);
  return {
    due: result.due.map((step) => `${step.levelIndex}#${step.repeat}`),
    covers: result.due.flatMap((step) => step.covers),
    next: result.nextAt ? (result.nextAt.getTime() - T0) / HOUR : null,
    deferred: result.deferred.map((item) => (item.until.getTime() - T0) / HOUR),
  };
}

/** A P3 incident created at T0. */
function newIncident() {
  const actor = { tenantId: 'acme', userId: 'ann', roles: ['agent' as const] };
  return createIncident(
    { title: 't', description: 'd', category: 'network', type: 'network', impact: 2, urgency: 2, channel: 'portal' },
    { id: 'i1', number: 'INC0000001' },
    { actor, now: h(0).toISOString(), matrix: DEFAULT_PRIORITY_MATRIX },
  ).incident;
}

// P3 (24×7): response 4 h, resolution 24 h.
const created: Line[] = [{ at: 0, status: 'new', priority: 3 }];

describe('planEscalations', () => {
  it.each<{ name: string; levels: EscalationLevel[]; lines: Line[]; now: number; due: string[]; next: number | null }>([
    { name: 'before the trigger: nothing due, wake at the trigger', levels: [notify()], lines: created, now: 10, due: [], next: 24 },
    { name: 'at the trigger: due', levels: [notify()], lines: created, now: 24, due: ['0#0'], next: null },
    { name: 'elapsed trigger', levels: [notify({ trigger: { elapsedMs: 5 * HOUR } })], lines: created, now: 6, due: ['0#0'], next: null },
    { name: 'threshold past the breach', levels: [notify({ trigger: { threshold: 1.5 } })], lines: created, now: 30, due: [], next: 36 },
    {
      name: 'repeats: the first due, the next one ahead',
      levels: [notify({ repeat: { count: 2, everyMs: 2 * HOUR } })],
      lines: created,
      now: 24,
      due: ['0#0'],
      next: 26,
    },
    {
      name: 'late evaluation: only the latest repetition happens',
      levels: [notify({ repeat: { count: 2, everyMs: 2 * HOUR } })],
      lines: created,
      now: 29,
      due: ['0#2'],
      next: null,
    },
    {
      name: 'response level stops at acknowledgement',
      levels: [notify({ metric: 'response' })],
      lines: [...created, { at: 1, status: 'in_progress' }],
      now: 5,
      due: [],
      next: null,
    },
    { name: 'resolution level stops at resolution', levels: [notify()], lines: [...created, { at: 20, status: 'resolved' }], now: 30, due: [], next: null },
    { name: 'cancelled: never', levels: [notify()], lines: [...created, { at: 1, status: 'cancelled' }], now: 30, due: [], next: null },
    {
      name: 'paused: no wake-up (resume re-arms), nothing due',
      levels: [notify()],
      lines: [...created, { at: 1, status: 'in_progress' }, { at: 2, status: 'on_hold', hold: 'awaiting_customer' }],
      now: 30,
      due: [],
      next: null,
    },
    { name: 'priority filter excludes', levels: [notify({ priorities: [1, 2] })], lines: created, now: 30, due: [], next: null },
    {
      name: 'priority filter includes after a raise',
      levels: [notify({ priorities: [1, 2] })],
      lines: [...created, { at: 1, priority: 2 }],
      now: 8,
      due: ['0#0'],
      next: null,
    },
  ])('$name', ({ levels, lines, now, due, next }) => {
    expect(plan(levels, lines, now)).toMatchObject({ due, next });
  });

  it('a step already taken is not taken again; the covered repetitions are recorded with the latest', () => {
    const level = notify({ repeat: { count: 2, everyMs: 2 * HOUR } });
    expect(plan([level], created, 29).covers).toEqual([0, 1, 2].map((repeat) => escalationKey(0, repeat, { startedAt: h(0) })));
    expect(plan([level], created, 29, (start) => [escalationKey(0, 2, { startedAt: start })]).due).toEqual([]);
    expect(plan([level], created, 27, (start) => [escalationKey(0, 0, { startedAt: start })])).toMatchObject({ due: ['0#1'], next: 28 });
  });

  it('quiet hours defer a non-urgent step to the next opening; urgent priorities go at once', () => {
    const office = officeHoursCalendar('UTC');
    const level = notify({ metric: 'response', notifyWithin: { calendar: office, urgentPriorities: [1] } });
    // P3 response due Monday 04:00: the office opens at 08:00.
    expect(plan([level], created, 5)).toMatchObject({ due: [], deferred: [8], next: 8 });
    expect(plan([level], created, 8)).toMatchObject({ due: ['0#0'] });
    // P1 response due 01:00: paged at once.
    expect(plan([level], [{ at: 0, status: 'new', priority: 1 }], 1.5)).toMatchObject({ due: ['0#0'], deferred: [] });
    // 'sla' means the SLA's own calendar, open around the clock here.
    expect(plan([notify({ metric: 'response', notifyWithin: { calendar: 'sla', urgentPriorities: [] } })], created, 5)).toMatchObject({ due: ['0#0'] });
  });
});

describe('escalation policy', () => {
  it('the seed policy is valid and notifies only', () => {
    const seed = defaultEscalationPolicy();
    expect(escalationPolicySchema.parse(seed)).toEqual(seed);
    expect(seed.levels.every((level) => level.kind === 'hierarchical')).toBe(true);
  });

  it.each<[string, unknown]>([
    ['functional without a group', { levels: [{ name: 'x', metric: 'response', trigger: { threshold: 1 }, kind: 'functional' }] }],
    ['hierarchical without anyone', { levels: [{ name: 'x', metric: 'response', trigger: { threshold: 1 }, kind: 'hierarchical' }] }],
    ['both triggers', { levels: [{ ...notify(), trigger: { threshold: 1, elapsedMs: 5 } }] }],
    ['a zero threshold', { levels: [{ ...notify(), trigger: { threshold: 0 } }] }],
    ['an unknown role', { levels: [{ ...notify(), notifyRoles: ['ceo'] }] }],
    ['an unknown field', { levels: [notify()], extra: true }],
  ])('refuses %s', (_, policy) => {
    expect(escalationPolicySchema.safeParse(policy).success).toBe(false);
  });

  it('a functional step reassigns (a dispatch the previous group handed back); a hierarchical one changes nothing', () => {
    const held = { ...newIncident(), status: 'in_progress' as const, assignmentGroup: 'desk', dispatch: { count: 1, returned: 0 } };
    const policy: EscalationPolicy = { levels: [notify({ kind: 'functional', assignmentGroup: 'l2', notifyRoles: undefined })] };
    const step = planEscalations(policy, computeSlaClock(sla247, ledger(created), h(30)), new Set(), sla247.calendar, h(30)).due[0];
    if (!step) throw new Error('expected a step');
    const functional = escalationChange(held, step, h(30).toISOString());
    expect(functional).toMatchObject({
      action: 'escalate',
      eventType: 'IncidentEscalated',
      incident: { assignmentGroup: 'l2', status: 'assigned', dispatch: { count: 2, returned: 1 } },
    });
    expect(functional.incident.version).toBe(held.version + 1);
    expect(functional.facts).toMatchObject({ kind: 'functional', assignmentGroup: 'l2', previousGroup: 'desk', level: 0 });
    const already = escalationChange({ ...held, assignmentGroup: 'l2' }, step, h(30).toISOString());
    expect(already.changes).toEqual([]);
    expect(already.incident.version).toBe(held.version);
  });

  it('a next-tier step reassigns to the group the tiers name, or records that none is left; a manager step notifies the group manager', () => {
    const held = { ...newIncident(), status: 'assigned' as const, assignmentGroup: 'desk', dispatch: { count: 1, returned: 0 } };
    const stepOf = (level: EscalationLevel) => {
      const step = planEscalations({ levels: [level] }, computeSlaClock(sla247, ledger(created), h(30)), new Set(), sla247.calendar, h(30)).due[0];
      if (!step) throw new Error('expected a step');
      return step;
    };
    const up = stepOf(notify({ kind: 'functional', toNextTier: true, notifyRoles: undefined }));
    expect(needsGroupTargets(up.level)).toBe(true);
    const moved = escalationChange(held, up, h(30).toISOString(), { nextTierGroup: 'regional-ops', groupManager: 'lead' });
    expect(moved.incident).toMatchObject({ assignmentGroup: 'regional-ops', dispatch: { count: 2, returned: 1 } });
    expect(moved.facts).toMatchObject({ toNextTier: true, assignmentGroup: 'regional-ops', previousGroup: 'desk' });
    const top = escalationChange(held, up, h(30).toISOString(), { nextTierGroup: null, groupManager: 'lead' });
    expect(top.changes).toEqual([]);
    expect(top.facts).toMatchObject({ toNextTier: true, noTarget: expect.any(String) });
    const manager = stepOf(notify({ notifyRoles: undefined, notifyGroupManager: true, notifyUsers: ['duty'] }));
    const told = escalationChange(held, manager, h(30).toISOString(), { nextTierGroup: null, groupManager: 'lead' });
    expect(told.changes).toEqual([]);
    expect(told.facts).toMatchObject({ kind: 'hierarchical', groupManager: 'lead', notifyUsers: ['duty', 'lead'] });
    expect(needsGroupTargets(stepOf(notify()).level)).toBe(false);
  });

  it.each([
    { name: 'functional with both a group and toNextTier', level: { kind: 'functional', assignmentGroup: 'l2', toNextTier: true }, ok: false },
    { name: 'functional with toNextTier only', level: { kind: 'functional', toNextTier: true }, ok: true },
    { name: 'hierarchical with the group manager only', level: { kind: 'hierarchical', notifyGroupManager: true }, ok: true },
    { name: 'hierarchical that reassigns', level: { kind: 'hierarchical', notifyRoles: ['manager'], toNextTier: true }, ok: false },
  ])('a level $name is valid: $ok', ({ level, ok }) => {
    const parsed = escalationPolicySchema.safeParse({ levels: [{ name: 'L', metric: 'response', trigger: { threshold: 1 }, ...level }] });
    expect(parsed.success).toBe(ok);
  });
});
