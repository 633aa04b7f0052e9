import { describe, expect, it } from 'vitest';
import {
  type AlertDecision,
  type AlertEvent,
  type AlertIncidentState,
  type AlertSituation,
  alertNoteText,
  DEFAULT_ALERT_POLICY,
  decideAlert,
  defaultDedupKey,
  flapReopenReason,
  incidentFromAlert,
  MONITORING_USER_ID,
  monitoringActor,
  recoveryNotes,
} from '#shared/domain/alerts/alert.js';
import { createIncident } from '#shared/domain/incidents/incident.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import { DEFAULT_PRIORITY_MATRIX } from '#shared/domain/incidents/priority-matrix.js';
import { isStaff } from '#shared/domain/roles.js';

const NOW = '2025-03-01T12:00:00.000Z';
const secondsBefore = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

const fresh = { acknowledgedAt: null, resolvedAt: null };
const acknowledged = { acknowledgedAt: secondsBefore(60), resolvedAt: null };
const recovered = { acknowledgedAt: null, resolvedAt: secondsBefore(30) };

function incident(status: IncidentStatus, overrides: Partial<AlertIncidentState> = {}): AlertIncidentState {
  return { status, assigneeId: null, resolvedAt: status === 'resolved' ? secondsBefore(60) : null, ...overrides };
}

const policy = { autoResolve: true, flapWindowSeconds: 900 };
const manual = { autoResolve: false, flapWindowSeconds: 900 };

type Case = { name: string; situation: Omit<AlertSituation, 'now'>; expected: Partial<AlertDecision> };

const OPEN: IncidentStatus[] = ['new', 'assigned', 'in_progress', 'on_hold'];

const cases: Case[] = [
  // trigger
  {
    name: 'trigger, first for the key → open',
    situation: { action: 'trigger', alert: null, incident: null, policy },
    expected: { kind: 'open', outcome: 'created', reason: 'first-trigger' },
  },
  {
    name: 'trigger, record but incident gone → open',
    situation: { action: 'trigger', alert: fresh, incident: null, policy },
    expected: { kind: 'open', reason: 'incident-missing' },
  },
  ...OPEN.map((status) => ({
    name: `trigger, incident ${status} → count only`,
    situation: { action: 'trigger' as const, alert: fresh, incident: incident(status), policy },
    expected: { kind: 'count' as const, outcome: 'updated' as const },
  })),
  {
    name: 'trigger, open incident whose recovery was reported (autoResolve off) → count',
    situation: { action: 'trigger', alert: recovered, incident: incident('in_progress'), policy: manual },
    expected: { kind: 'count' },
  },
  {
    name: 'trigger, resolved 60 s ago, window 900 s → reopen',
    situation: { action: 'trigger', alert: recovered, incident: incident('resolved'), policy },
    expected: { kind: 'reopen', outcome: 'reopened', secondsSinceResolved: 60 },
  },
  {
    name: 'trigger, resolved by an agent (no recovery on the record) 60 s ago → reopen',
    situation: { action: 'trigger', alert: fresh, incident: incident('resolved'), policy },
    expected: { kind: 'reopen' },
  },
  {
    name: 'trigger, resolved 899 s ago → still reopen',
    situation: { action: 'trigger', alert: recovered, incident: incident('resolved', { resolvedAt: secondsBefore(899) }), policy },
    expected: { kind: 'reopen', secondsSinceResolved: 899 },
  },
  {
    name: 'trigger, resolved exactly 900 s ago → window over, open new',
    situation: { action: 'trigger', alert: recovered, incident: incident('resolved', { resolvedAt: secondsBefore(900) }), policy },
    expected: { kind: 'open', reason: 'after-flap-window' },
  },
  {
    name: 'trigger, resolved 2 h ago → open new',
    situation: { action: 'trigger', alert: recovered, incident: incident('resolved', { resolvedAt: secondsBefore(7200) }), policy },
    expected: { kind: 'open', reason: 'after-flap-window' },
  },
  {
    name: 'trigger, flap window 0 → never reopen',
    situation: {
      action: 'trigger',
      alert: recovered,
      incident: incident('resolved', { resolvedAt: NOW }),
      policy: { autoResolve: true, flapWindowSeconds: 0 },
    },
    expected: { kind: 'open', reason: 'after-flap-window' },
  },
  {
    name: 'trigger, resolved without a timestamp → cannot be within the window, open new',
    situation: { action: 'trigger', alert: recovered, incident: incident('resolved', { resolvedAt: null }), policy },
    expected: { kind: 'open', reason: 'after-flap-window' },
  },
  {
    name: 'trigger, incident closed → open new',
    situation: { action: 'trigger', alert: recovered, incident: incident('closed'), policy },
    expected: { kind: 'open', reason: 'incident-ended' },
  },
  {
    name: 'trigger, incident cancelled → open new',
    situation: { action: 'trigger', alert: fresh, incident: incident('cancelled'), policy },
    expected: { kind: 'open', reason: 'incident-ended' },
  },
  // acknowledge
  {
    name: 'acknowledge, unknown key → ignored',
    situation: { action: 'acknowledge', alert: null, incident: null, policy },
    expected: { kind: 'ignore', outcome: 'ignored' },
  },
  { name: 'acknowledge, incident gone → ignored', situation: { action: 'acknowledge', alert: fresh, incident: null, policy }, expected: { kind: 'ignore' } },
  {
    name: 'acknowledge, assigned to a person → start',
    situation: { action: 'acknowledge', alert: fresh, incident: incident('assigned', { assigneeId: 'ada' }), policy },
    expected: { kind: 'start', outcome: 'acknowledged' },
  },
  {
    name: 'acknowledge, assigned to a group only → work note (starting would make monitoring the assignee)',
    situation: { action: 'acknowledge', alert: fresh, incident: incident('assigned'), policy },
    expected: { kind: 'note', outcome: 'acknowledged', note: 'acknowledged' },
  },
  ...(['new', 'in_progress', 'on_hold'] as const).map((status) => ({
    name: `acknowledge, incident ${status} → work note`,
    situation: { action: 'acknowledge' as const, alert: fresh, incident: incident(status, { assigneeId: 'ada' }), policy },
    expected: { kind: 'note' as const, outcome: 'acknowledged' as const, note: 'acknowledged' as const },
  })),
  {
    name: 'acknowledge, already acknowledged → ignored',
    situation: { action: 'acknowledge', alert: acknowledged, incident: incident('assigned', { assigneeId: 'ada' }), policy },
    expected: { kind: 'ignore' },
  },
  ...(['resolved', 'closed', 'cancelled'] as const).map((status) => ({
    name: `acknowledge, incident ${status} → ignored`,
    situation: { action: 'acknowledge' as const, alert: fresh, incident: incident(status), policy },
    expected: { kind: 'ignore' as const },
  })),
  // resolve
  {
    name: 'resolve, unknown key → ignored',
    situation: { action: 'resolve', alert: null, incident: null, policy },
    expected: { kind: 'ignore', outcome: 'ignored' },
  },
  { name: 'resolve, incident gone → ignored', situation: { action: 'resolve', alert: fresh, incident: null, policy }, expected: { kind: 'ignore' } },
  ...(['assigned', 'in_progress', 'on_hold'] as const).map((status) => ({
    name: `resolve, autoResolve, incident ${status} → resolve`,
    situation: { action: 'resolve' as const, alert: fresh, incident: incident(status), policy },
    expected: { kind: 'resolve' as const, outcome: 'resolved' as const },
  })),
  {
    name: 'resolve, autoResolve, incident new (unassigned) → note, the life cycle cannot resolve it',
    situation: { action: 'resolve', alert: fresh, incident: incident('new'), policy },
    expected: { kind: 'note', outcome: 'updated', note: 'recovered-unassigned' },
  },
  ...OPEN.map((status) => ({
    name: `resolve, autoResolve off, incident ${status} → note`,
    situation: { action: 'resolve' as const, alert: fresh, incident: incident(status), policy: manual },
    expected: { kind: 'note' as const, outcome: 'updated' as const, note: 'recovered' as const },
  })),
  {
    name: 'resolve, recovery already reported → ignored (idempotent)',
    situation: { action: 'resolve', alert: recovered, incident: incident('in_progress'), policy: manual },
    expected: { kind: 'ignore' },
  },
  ...(['resolved', 'closed', 'cancelled'] as const).map((status) => ({
    name: `resolve, incident already ${status} → ignored (idempotent)`,
    situation: { action: 'resolve' as const, alert: fresh, incident: incident(status), policy },
    expected: { kind: 'ignore' as const, outcome: 'ignored' as const },
  })),
];

describe('decideAlert', () => {
  it.each(cases)('$name', ({ situation, expected }) => {
    expect(decideAlert({ ...situation, now: NOW })).toMatchObject(expected);
  });

  it('covers every action against every incident status', () => {
    for (const action of ['trigger', 'acknowledge', 'resolve'] as const) {
      for (const status of INCIDENT_STATUSES) {
        const covered = cases.some((c) => c.situation.action === action && c.situation.incident?.status === status);
        expect(covered, `${action} × ${status}`).toBe(true);
      }
    }
  });

  it('explains every ignore', () => {
    for (const { situation } of cases) {
      const decision = decideAlert({ ...situation, now: NOW });
      if (decision.kind === 'ignore') expect(decision.reason).not.toBe('');
    }
  });
});

const event: AlertEvent & { payload: NonNullable<AlertEvent['payload']> } = {
  action: 'trigger',
  dedupKey: 'db-01/disk',
  payload: {
    summary: 'Disk 95 % full on db-01',
    source: 'db-01.prod',
    severity: 'critical',
    component: 'db-01',
    group: 'databases',
    class: 'disk',
    customDetails: { mount: '/var/lib/postgresql', free: '5 %' },
  },
  client: 'Alertmanager',
  clientUrl: 'https://alertmanager.example/#/alerts',
  integration: 'key:01JH0000000000000000000000',
};

describe('incidentFromAlert', () => {
  it('maps a PagerDuty payload onto a monitoring incident', () => {
    const input = incidentFromAlert(event, DEFAULT_ALERT_POLICY);
    expect(input).toMatchObject({
      title: 'Disk 95 % full on db-01',
      category: 'monitoring',
      type: 'other',
      impact: 1,
      urgency: 1,
      channel: 'monitoring',
      requesterId: MONITORING_USER_ID,
      ciId: 'db-01',
    });
    for (const text of ['Source: db-01.prod', 'Severity: critical', 'Group: databases', 'Class: disk', 'Dedup key: db-01/disk', 'Alertmanager', '"mount"']) {
      expect(input.description).toContain(text);
    }
  });

  it.each([
    ['critical', 1, 1],
    ['error', 2, 1],
    ['warning', 2, 2],
    ['info', 3, 3],
  ] as const)('severity %s → impact %i, urgency %i by default', (severity, impact, urgency) => {
    expect(incidentFromAlert({ ...event, payload: { ...event.payload, severity } }, DEFAULT_ALERT_POLICY)).toMatchObject({ impact, urgency });
  });

  it("follows the tenant's mapping and category", () => {
    const policy = {
      ...DEFAULT_ALERT_POLICY,
      defaultCategory: 'infra',
      severityMapping: { ...DEFAULT_ALERT_POLICY.severityMapping, critical: { impact: 2, urgency: 3 } as const },
    };
    expect(incidentFromAlert(event, policy)).toMatchObject({ category: 'infra', impact: 2, urgency: 3 });
  });

  it('keeps a component that cannot be a CI id out of the CI field, and cuts long texts', () => {
    const input = incidentFromAlert(
      { ...event, payload: { ...event.payload, component: 'db 01 / primary#1', summary: 's'.repeat(1024), customDetails: { blob: 'x'.repeat(20_000) } } },
      DEFAULT_ALERT_POLICY,
    );
    expect(input.ciId).toBeNull();
    expect(input.title).toHaveLength(200);
    expect(input.title.endsWith('…')).toBe(true);
    expect(input.description.length).toBeLessThanOrEqual(10_000);
  });

  it('opens an incident the domain accepts, logged by the monitoring user as a staff member', () => {
    const actor = monitoringActor('acme');
    expect(isStaff(actor)).toBe(true);
    const change = createIncident(
      incidentFromAlert(event, DEFAULT_ALERT_POLICY),
      { id: '01JH0000000000000000000000', number: 'INC0001001' },
      {
        actor,
        now: NOW,
        matrix: DEFAULT_PRIORITY_MATRIX,
      },
    );
    expect(change.incident).toMatchObject({ requesterId: 'monitoring', createdBy: 'monitoring', channel: 'monitoring', priority: 1, status: 'new' });
  });
});

describe('defaultDedupKey', () => {
  it('is the same for the same source and summary, and differs otherwise (PagerDuty grouping)', () => {
    const key = defaultDedupKey({ source: 'db-01', summary: 'Disk full' });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(defaultDedupKey({ source: 'db-01', summary: 'Disk full' })).toBe(key);
    expect(defaultDedupKey({ source: 'db-02', summary: 'Disk full' })).not.toBe(key);
    // The separator keeps the two fields apart.
    expect(defaultDedupKey({ source: 'db-0', summary: '1Disk full' })).not.toBe(key);
  });
});

describe('texts', () => {
  it('name the dedup key and the reason', () => {
    expect(alertNoteText('acknowledged', event)).toContain('Alertmanager');
    expect(alertNoteText('recovered', event)).toContain('autoResolve off');
    expect(alertNoteText('recovered-unassigned', event)).toContain('not assigned');
    expect(flapReopenReason(event, 42, { flapWindowSeconds: 900 })).toContain('42 s');
    expect(recoveryNotes(event)).toContain('Disk 95 % full');
    expect(recoveryNotes({ ...event, payload: null })).toContain('db-01/disk');
  });
});
