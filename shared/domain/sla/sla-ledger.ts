/**
 * The SLA ledger of an incident, rebuilt from its audit trail: every entry
 * that changed the status, the hold reason or the priority becomes the
 * incident's SLA-relevant state from that moment on. Nothing else is stored
 * for SLAs, so any clock can be recomputed exactly under any definition.
 * @module
 */
import type { HoldReason, IncidentStatus } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import type { SlaLedgerEntry } from './sla-clock.js';

/** The parts of an audit entry the ledger reads. */
export interface AuditFacts {
  readonly at: string;
  readonly changes: readonly { readonly field: string; readonly to: unknown }[];
}

const TRACKED = new Set(['status', 'holdReason', 'priority']);

/** Ledger entries, oldest first; `history` must be oldest first and start with the creation. */
export function ledgerFromHistory(history: readonly AuditFacts[]): SlaLedgerEntry[] {
  const ledger: SlaLedgerEntry[] = [];
  let state: { status?: IncidentStatus; holdReason: HoldReason | null; priority?: Priority } = { holdReason: null };
  for (const entry of history) {
    const relevant = entry.changes.filter((change) => TRACKED.has(change.field));
    if (relevant.length === 0) continue;
    state = { ...state, ...Object.fromEntries(relevant.map((change) => [change.field, change.to])) };
    if (state.status === undefined || state.priority === undefined) continue;
    ledger.push({ at: new Date(entry.at), status: state.status, holdReason: state.holdReason, priority: state.priority });
  }
  return ledger;
}
