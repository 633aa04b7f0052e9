/**
 * The SLA ledger rebuilt from audit entries: only status, hold-reason and
 * priority changes make entries, each carrying the whole state.
 */
import { describe, expect, it } from 'vitest';
import { ledgerFromHistory } from '#shared/domain/sla/sla-ledger.js';

const change = (field: string, to: unknown) => ({ field, to });

describe('ledgerFromHistory', () => {
  it('keeps creation, transitions and priority changes, and skips notes and text edits', () => {
    const ledger = ledgerFromHistory([
      { at: '2026-11-20T09:00:00.000Z', changes: [change('title', 'VPN'), change('priority', 3), change('status', 'new')] },
      { at: '2026-11-20T09:10:00.000Z', changes: [change('assignmentGroup', 'net'), change('status', 'assigned')] },
      { at: '2026-11-20T09:20:00.000Z', changes: [] },
      { at: '2026-11-20T09:30:00.000Z', changes: [change('title', 'VPN down')] },
      { at: '2026-11-20T09:40:00.000Z', changes: [change('status', 'in_progress')] },
      { at: '2026-11-20T10:00:00.000Z', changes: [change('status', 'on_hold'), change('holdReason', 'awaiting_customer')] },
      { at: '2026-11-20T11:00:00.000Z', changes: [change('priority', 1)] },
      { at: '2026-11-20T12:00:00.000Z', changes: [change('status', 'in_progress'), change('holdReason', null)] },
    ]);
    expect(ledger.map((entry) => [entry.at.toISOString().slice(11, 16), entry.status, entry.holdReason, entry.priority])).toEqual([
      ['09:00', 'new', null, 3],
      ['09:10', 'assigned', null, 3],
      ['09:40', 'in_progress', null, 3],
      ['10:00', 'on_hold', 'awaiting_customer', 3],
      ['11:00', 'on_hold', 'awaiting_customer', 1],
      ['12:00', 'in_progress', null, 1],
    ]);
  });

  it('is empty without a creation entry carrying status and priority', () => {
    expect(ledgerFromHistory([{ at: '2026-11-20T09:00:00.000Z', changes: [change('title', 'x')] }])).toEqual([]);
  });
});
