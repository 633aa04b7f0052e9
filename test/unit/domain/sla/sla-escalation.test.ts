/**
 * The escalation decision, table-driven: clocks replayed from a scripted
 * ledger at a given moment, with what was already announced, give what to
 * announce now and when to wake up next.
 */
import { describe, expect, it } from 'vitest';
import type { HoldReason, IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { businessCalendarSchema, officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';
import { computeSlaClock, type SlaLedgerEntry } from '#shared/domain/sla/sla-clock.js';
import { defaultSlaDefinition, type SlaDefinition } from '#shared/domain/sla/sla-definition.js';
import { decideEscalation, type EscalationDecision, MIN_WAIT_MS, PAUSED_RECHECK_MS, thresholdKey } from '#shared/domain/sla/sla-escalation.js';

const HOUR = 3_600_000;
/** 24×7 keeps the table readable: business hours are wall hours. P3: response 4 h, resolution 24 h. */
const sla247 = defaultSlaDefinition(businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true }));
const slaOffice = defaultSlaDefinition(officeHoursCalendar('UTC'));

/** Monday 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);
const h = (hours: number) => new Date(T0 + hours * HOUR);
const START = h(0).toISOString();

interface Line {
  readonly at: number;
  readonly status?: IncidentStatus;
  readonly hold?: HoldReason;
  readonly priority?: Priority;
}

/** A ledger from lines in hours; status and priority carry over. */
function ledger(lines: readonly Line[]): SlaLedgerEntry[] {
  let status: IncidentStatus = 'new';
  let priority: Priority = 3;
  return lines.map((line) => {
    status = line.status ?? status;
    priority = line.priority ?? priority;
    return { at: h(line.at), status, holdReason: line.hold ?? null, priority };
  });
}

const key = (metric: 'response' | 'resolution', fraction: number, startedAt = START) => `${metric}:${fraction}:${startedAt}`;

function decide(lines: readonly Line[], nowHours: number, announced: readonly string[] = [], definition: SlaDefinition = sla247): EscalationDecision {
  const now = h(nowHours);
  return decideEscalation(computeSlaClock(definition, ledger(lines), now), new Set(announced), definition.calendar, now);
}

/** The decision in a comparable shape: announcements as `metric:fraction:kind`, the wake-up in hours. */
function summary(decision: EscalationDecision) {
  return {
    announce: decision.announce.map((a) => `${a.metric}:${a.fraction}:${a.kind}`),
    next: decision.next.action === 'wait' ? { wait: (decision.next.waitUntil.getTime() - T0) / HOUR, reason: decision.next.reason } : 'done',
  };
}

const created: Line[] = [{ at: 0, status: 'new', priority: 3 }];

describe('decideEscalation', () => {
  it.each<[string, Line[], number, string[], ReturnType<typeof summary>]>([
    ['fresh P3: wait for the response warning at 50 %', created, 0, [], { announce: [], next: { wait: 2, reason: 'threshold' } }],
    [
      'resolved before any warning: done after one evaluation',
      [...created, { at: 1, status: 'in_progress' }, { at: 1.5, status: 'resolved' }],
      1.5,
      [],
      { announce: [], next: 'done' },
    ],
    ['response warning at 50 %, then wait for 75 %', created, 2, [], { announce: ['response:0.5:warning'], next: { wait: 3, reason: 'threshold' } }],
    ['the same evaluation again announces nothing twice', created, 2, [key('response', 0.5)], { announce: [], next: { wait: 3, reason: 'threshold' } }],
    [
      'warning, then met: the next wake-up is the resolution warning',
      [...created, { at: 2.5, status: 'in_progress' }],
      3,
      [key('response', 0.5)],
      { announce: [], next: { wait: 12, reason: 'threshold' } },
    ],
    [
      'warning, then met and resolved: done',
      [...created, { at: 2.5, status: 'in_progress' }, { at: 5, status: 'resolved' }],
      12,
      [key('response', 0.5)],
      { announce: [], next: 'done' },
    ],
    [
      'breach: announced at 100 %, then wait for the resolution warning',
      created,
      4,
      [key('response', 0.5), key('response', 0.75)],
      { announce: ['response:1:breach'], next: { wait: 12, reason: 'threshold' } },
    ],
    [
      'a late evaluation announces only the highest threshold reached',
      created,
      5,
      [],
      { announce: ['response:1:breach'], next: { wait: 12, reason: 'threshold' } },
    ],
    ['both clocks breached and announced: done', created, 30, [key('response', 1), key('resolution', 1)], { announce: [], next: 'done' }],
    [
      'both clocks breached, nothing announced: one breach each, then done',
      created,
      30,
      [],
      { announce: ['response:1:breach', 'resolution:1:breach'], next: 'done' },
    ],
    [
      'paused across the resolution warning: nothing announced, safety re-check a working day later, never done',
      [...created, { at: 1, status: 'in_progress' }, { at: 10, status: 'on_hold', hold: 'awaiting_customer' }],
      12,
      [],
      { announce: [], next: { wait: 20, reason: 'paused' } },
    ],
    [
      'resumed after the pause: the warning moves by the paused time',
      [...created, { at: 1, status: 'in_progress' }, { at: 10, status: 'on_hold', hold: 'awaiting_customer' }, { at: 14, status: 'in_progress' }],
      14,
      [],
      { announce: [], next: { wait: 16, reason: 'threshold' } },
    ],
    [
      'held awaiting a change does not pause: the warning comes on time',
      [...created, { at: 1, status: 'in_progress' }, { at: 10, status: 'on_hold', hold: 'awaiting_change' }],
      12,
      [],
      { announce: ['resolution:0.5:warning'], next: { wait: 18, reason: 'threshold' } },
    ],
    [
      'priority raised mid-wait (P3 → P1 at 0.5 h): the P1 warning is reached at the raise, 75 % comes earlier',
      [...created, { at: 0.5, priority: 1 }],
      0.6,
      [],
      { announce: ['response:0.5:warning'], next: { wait: 0.75, reason: 'threshold' } },
    ],
    [
      'priority raised after 2 h (P4 → P1): breached at the raise, one breach',
      [
        { at: 0, status: 'new', priority: 4 },
        { at: 2, priority: 1 },
      ],
      2,
      [],
      { announce: ['response:1:breach', 'resolution:0.5:warning'], next: { wait: 3, reason: 'threshold' } },
    ],
    ['cancelled with a reached, unannounced threshold: nothing, done', [...created, { at: 3, status: 'cancelled' }], 5, [], { announce: [], next: 'done' }],
    [
      'resolved late with the breach unannounced: the breach is still announced, stale warnings are not',
      [...created, { at: 2.5, status: 'in_progress' }, { at: 25, status: 'resolved' }],
      26,
      [key('response', 0.5)],
      { announce: ['resolution:1:breach'], next: 'done' },
    ],
    [
      'met after a reached warning that was never announced: no stale warning',
      [...created, { at: 3.5, status: 'in_progress' }],
      4,
      [],
      { announce: [], next: { wait: 12, reason: 'threshold' } },
    ],
  ])('%s', (_name, lines, now, announced, expected) => {
    expect(summary(decide(lines, now, announced))).toEqual(expected);
  });

  it('an announcement records the lower thresholds it makes moot, and carries the clock facts', () => {
    const [breach] = decide(created, 5).announce;
    expect(breach).toMatchObject({
      metric: 'response',
      kind: 'breach',
      fraction: 1,
      priority: 3,
      reachedAt: h(4),
      dueAt: h(4),
      key: key('response', 1),
      covers: [key('response', 0.5), key('response', 0.75), key('response', 1)],
    });
  });

  it('a restarted clock announces again: the key names the run', () => {
    const clocks = computeSlaClock(sla247, ledger(created), h(0));
    const response = clocks.response;
    expect(response && thresholdKey(response, 0.5)).toBe(key('response', 0.5));
    expect(thresholdKey({ metric: 'resolution', startedAt: h(30) }, 1)).toBe(key('resolution', 1, h(30).toISOString()));
  });

  it('a paused clock is re-checked after a working day (8 h) of open calendar time: Friday 17:30 → Monday 15:30', () => {
    const friday = Date.UTC(2024, 0, 5, 9);
    const lines: SlaLedgerEntry[] = [
      { at: new Date(friday), status: 'new', holdReason: null, priority: 4 },
      { at: new Date(friday + HOUR), status: 'in_progress', holdReason: null, priority: 4 },
      { at: new Date(friday + 2 * HOUR), status: 'on_hold', holdReason: 'awaiting_vendor', priority: 4 },
    ];
    const now = new Date(Date.UTC(2024, 0, 5, 17, 30));
    const decision = decideEscalation(computeSlaClock(slaOffice, lines, now), new Set(), slaOffice.calendar, now);
    expect(decision.next).toEqual({ action: 'wait', waitUntil: new Date(Date.UTC(2024, 0, 8, 15, 30)), reason: 'paused' });
    expect(PAUSED_RECHECK_MS).toBe(8 * HOUR);
  });

  it('never asks for a wake-up sooner than the minimum wait', () => {
    const decision = decide(created, 2 - 0.1 / 3600);
    expect(decision.next).toMatchObject({ action: 'wait' });
    const next = decision.next as { waitUntil: Date };
    expect(next.waitUntil.getTime()).toBe(h(2 - 0.1 / 3600).getTime() + MIN_WAIT_MS);
  });
});
