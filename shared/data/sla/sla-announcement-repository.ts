/**
 * What the escalation workflow has announced for an incident: one item per
 * incident (`SLA_ANNOUNCEMENTS` in the incident's partition) holding the
 * set of announced threshold keys. Each announcement adds its keys in the
 * same transaction as its outbox event and audit entry, on the condition
 * that its key is not in the set yet, so two evaluations running at once
 * cannot both announce a threshold, and a retried evaluation never repeats one.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, mutationAudit, type RelatedUpdate } from '#shared/data/commit-mutation.js';
import { escalationTargetsFor } from '#shared/data/groups/group-repository.js';
import { getIncident, incidentEvent, saveIncident } from '#shared/data/incidents/incident-repository.js';
import type { Incident } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import { type EscalationStep, escalationChange, needsGroupTargets, SLA_ENGINE } from '#shared/domain/sla/escalation-policy.js';
import type { SlaAnnouncement } from '#shared/domain/sla/sla-escalation.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { slaAnnouncementsKey } from './keys.js';

/** The incident facts an announcement carries. */
export type AnnouncedIncident = Pick<Incident, 'tenantId' | 'id' | 'number' | 'version'>;

/** The announcement item gains `keys`, on the condition that `key` is not in it yet (a missing item contains nothing). */
function announcementUpdate(tenantId: string, incidentId: string, key: string, keys: readonly string[], now: string): RelatedUpdate {
  return {
    key: slaAnnouncementsKey(tenantId, incidentId),
    update: {
      UpdateExpression: 'ADD #announced :keys SET #entity = :entity, #updatedAt = :now',
      ConditionExpression: 'NOT contains(#announced, :key)',
      ExpressionAttributeNames: { '#announced': 'announced', '#entity': 'entity', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: { ':keys': new Set(keys), ':key': key, ':entity': 'IncidentSlaAnnouncements', ':now': now },
    },
  };
}

/** The announced threshold keys of an incident (empty when nothing was announced yet). Strongly consistent. */
export async function getSlaAnnouncements(tenantId: string, incidentId: string): Promise<ReadonlySet<string>> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: slaAnnouncementsKey(tenantId, incidentId), ConsistentRead: true }));
  return new Set((result.Item?.announced as Set<string> | undefined) ?? []);
}

/**
 * Announces one threshold: the event (`SlaWarning` or `SlaBreached`), its
 * audit entry (recordType `IncidentSla`) and the keys it covers, in one
 * transaction. Throws `ConflictError` when the key was announced meanwhile
 * (or the transaction kept colliding): re-read and decide again.
 */
export async function announceSlaThreshold(incident: AnnouncedIncident, announcement: SlaAnnouncement, now: Date): Promise<void> {
  const occurredAt = now.toISOString();
  const actor: Actor = { tenantId: incident.tenantId, ...SLA_ENGINE };
  const detailType = announcement.kind === 'breach' ? 'SlaBreached' : 'SlaWarning';
  const event = buildEvent(detailType, {
    ...eventEnvelope(incident.tenantId, occurredAt, actor),
    incidentId: incident.id,
    number: incident.number,
    version: incident.version,
    metric: announcement.metric,
    threshold: announcement.fraction,
    priority: announcement.priority,
    dueAt: announcement.dueAt?.toISOString() ?? null,
    reachedAt: announcement.reachedAt.toISOString(),
  });
  await commitMutation({
    actor,
    recordType: 'IncidentSla',
    recordId: incident.id,
    write: { kind: 'update', ...announcementUpdate(incident.tenantId, incident.id, announcement.key, announcement.covers, occurredAt), ifMatch: false },
    audit: {
      action: announcement.kind === 'breach' ? 'sla_breached' : 'sla_warning',
      version: incident.version,
      changes: [{ field: 'slaAnnounced', from: null, to: announcement.key }],
      facts: {
        metric: announcement.metric,
        threshold: announcement.fraction,
        priority: announcement.priority,
        reachedAt: announcement.reachedAt.toISOString(),
        dueAt: announcement.dueAt?.toISOString() ?? null,
      },
    },
    event,
  });
}

/**
 * Carries out one escalation step: a functional step reassigns the
 * incident (versioned, as every change is), a hierarchical one only records and
 * announces; either way the `IncidentEscalated` event, its audit entry and
 * the step's keys commit in one transaction, on the condition that the step
 * was not taken meanwhile (`ConflictError` then, as when the incident changed
 * under it: re-read and decide again). An incident gone meanwhile is left alone.
 */
export async function recordEscalation(ref: Pick<Incident, 'tenantId' | 'id'>, step: EscalationStep, now: Date): Promise<void> {
  const incident = await getIncident(ref.tenantId, ref.id);
  if (!incident) return;
  const occurredAt = now.toISOString();
  const actor: Actor = { tenantId: incident.tenantId, ...SLA_ENGINE };
  const targets = needsGroupTargets(step.level) ? await escalationTargetsFor(incident.tenantId, incident.assignmentGroup) : undefined;
  const change = escalationChange(incident, step, occurredAt, targets);
  const announced = announcementUpdate(incident.tenantId, incident.id, step.key, step.covers, occurredAt);
  if (change.changes.length > 0) {
    await saveIncident(change, actor, incident.version, false, undefined, { relatedUpdates: [announced] });
    return;
  }
  await commitMutation({
    actor,
    recordType: 'Incident',
    recordId: incident.id,
    write: { kind: 'update', ...announced, ifMatch: false },
    audit: mutationAudit(change, change.incident.version),
    event: incidentEvent(change, actor),
  });
}
