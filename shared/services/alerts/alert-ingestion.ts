/**
 * The one way an alert reaches an incident, whichever integration it came
 * through (`POST /alerts`, CloudWatch alarms): read the alert record, its
 * incident and the tenant's policy; let {@link decideAlert} choose; carry
 * the choice out. A lost race (another event for the same dedup key wrote
 * first) surfaces as a ConflictError and is answered by reading again and
 * deciding again, which is how concurrent first triggers end up opening
 * exactly one incident.
 * @module
 */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { getAlertPolicy } from '#shared/data/alerts/alert-policy-repository.js';
import {
  alertRecordFor,
  countAlertTrigger,
  getAlert,
  linkAcknowledged,
  linkNewIncident,
  linkRecovered,
  linkRetrigger,
} from '#shared/data/alerts/alert-repository.js';
import { getIncident, insertIncident, type LinkedWrites, saveIncident } from '#shared/data/incidents/incident-repository.js';
import { allocateIncidentNumber } from '#shared/data/incidents/incident-settings-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import {
  type AlertDecision,
  type AlertEvent,
  type AlertOutcome,
  type AlertPayload,
  type AlertPolicy,
  type AlertRecord,
  alertNoteText,
  decideAlert,
  flapReopenReason,
  incidentFromAlert,
  monitoringActor,
  recoveryNotes,
} from '#shared/domain/alerts/alert.js';
import { ConflictError } from '#shared/domain/errors.js';
import { addNote, applyIncidentAction, createIncident, type Incident, type IncidentChange } from '#shared/domain/incidents/incident.js';
import { logger } from '#shared/observability/logger.js';

/** What ingesting one event did. */
export interface IngestResult {
  readonly dedupKey: string;
  readonly action: AlertOutcome;
  /** `null` only when an acknowledge or resolve named a dedup key nobody triggered. */
  readonly incidentId: string | null;
  readonly incidentNumber: string | null;
}

/** Applies one alert event for `tenantId`. Throws only for failures worth retrying (throttling, persistent contention). */
export async function ingestAlert(tenantId: string, event: AlertEvent, clock: () => string = () => now().toISOString()): Promise<IngestResult> {
  if (event.action === 'trigger' && !event.payload) throw new Error('A trigger needs a payload.');
  // Read alongside the first alert read: the two are independent, and a storm is latency-bound.
  const policyRead = getAlertPolicy(tenantId);
  return retryOnConflict(async () => {
    const [alert, { policy }] = await Promise.all([getAlert(tenantId, event.dedupKey), policyRead]);
    const incident = alert ? await getIncident(tenantId, alert.incidentId) : null;
    const now = clock();
    const decision = decideAlert({
      action: event.action,
      alert,
      incident: incident && { status: incident.status, assigneeId: incident.assigneeId, resolvedAt: incident.statusChangedAt.resolved ?? null },
      policy,
      now,
    });
    return carryOut(decision, { tenantId, event, policy, alert, incident, now });
  });
}

interface Situation {
  readonly tenantId: string;
  readonly event: AlertEvent;
  readonly policy: AlertPolicy;
  readonly alert: AlertRecord | null;
  readonly incident: Incident | null;
  readonly now: string;
}

function result(event: AlertEvent, action: AlertOutcome, incident: Pick<Incident, 'id' | 'number'> | null): IngestResult {
  return { dedupKey: event.dedupKey, action, incidentId: incident?.id ?? null, incidentNumber: incident?.number ?? null };
}

/** Audit and event facts that tie an incident change to the alert behind it. */
function withAlertFacts(change: IncidentChange, event: AlertEvent, extra: Record<string, unknown> = {}): IncidentChange {
  return { ...change, facts: { ...change.facts, alert: { dedupKey: event.dedupKey, integration: event.integration, ...extra } } };
}

async function carryOut(decision: AlertDecision, situation: Situation): Promise<IngestResult> {
  const { tenantId, event, policy, alert, incident, now } = situation;
  const actor = monitoringActor(tenantId);
  if (decision.kind === 'ignore') {
    logger.info('Alert event ignored', { tenantId, dedupKey: event.dedupKey, action: event.action, reason: decision.reason });
    return result(event, 'ignored', incident && alert ? { id: alert.incidentId, number: alert.incidentNumber } : null);
  }
  if (decision.kind === 'open') return openIncident(situation, decision.reason);
  // Every other decision is about the incident the record points at.
  if (!alert || !incident) throw new Error(`Decision '${decision.kind}' needs an alert and its incident.`);
  const save = (change: IncidentChange, linked: LinkedWrites) => saveIncident(change, actor, incident.version, false, undefined, linked);
  switch (decision.kind) {
    case 'count':
      if (!(await countAlertTrigger(alert, event, now))) throw new ConflictError('The alert was repointed concurrently.');
      break;
    case 'reopen': {
      const reason = flapReopenReason(event, decision.secondsSinceResolved, policy);
      await save(
        withAlertFacts(applyIncidentAction(incident, { action: 'reopen', reason }, { actor, now }), event, { flapping: true }),
        linkRetrigger(alert, event, now),
      );
      break;
    }
    case 'start':
      await save(withAlertFacts(applyIncidentAction(incident, { action: 'start' }, { actor, now }), event), linkAcknowledged(alert, now));
      break;
    case 'resolve': {
      const change = applyIncidentAction(incident, { action: 'resolve', code: 'monitoring_recovered', notes: recoveryNotes(event) }, { actor, now });
      await save(withAlertFacts(change, event), linkRecovered(alert, now));
      break;
    }
    case 'note': {
      const change = addNote(incident, { visibility: 'work_note', body: alertNoteText(decision.note, event) }, ulid(), { actor, now });
      await save(withAlertFacts(change, event), decision.note === 'acknowledged' ? linkAcknowledged(alert, now) : linkRecovered(alert, now));
      break;
    }
  }
  return result(event, decision.outcome, incident);
}

/**
 * Opens an incident and points the alert record at it in one transaction,
 * then dispatches it to the policy's group. The dispatch is a second,
 * ordinary change (its own audit entry and IncidentAssigned event, as if an
 * agent had dispatched it); if it fails the incident stays in the `new`
 * queue, which is where an undispatched incident belongs anyway.
 */
async function openIncident(situation: Situation, reason: string): Promise<IngestResult> {
  const { tenantId, event, policy, alert, now } = situation;
  const actor = monitoringActor(tenantId);
  const input = incidentFromAlert(event as AlertEvent & { payload: AlertPayload }, policy);
  const { number, matrix } = await allocateIncidentNumber(tenantId);
  const created = withAlertFacts(createIncident(input, { id: ulid(), number }, { actor, now, matrix }), event, {
    reason,
    previousIncidentId: alert?.incidentId ?? null,
  });
  await insertIncident(created, actor, undefined, linkNewIncident(alertRecordFor(tenantId, event, created.incident, now), alert?.incidentId ?? null));
  if (policy.defaultAssignmentGroup) {
    try {
      const assigned = applyIncidentAction(created.incident, { action: 'assign', assignmentGroup: policy.defaultAssignmentGroup }, { actor, now });
      await saveIncident(withAlertFacts(assigned, event), actor, created.incident.version, false);
    } catch (error) {
      // Someone changed the brand-new incident first (or the store throttled): the incident exists
      // either way, and answering with an error would make the caller send the trigger again.
      logger.warn('Could not dispatch an incident opened by monitoring', { tenantId, incidentId: created.incident.id, error: error as Error });
    }
  }
  return result(event, 'created', created.incident);
}
