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
import type { Incident } from '../domain/incident.js';
import type { Actor } from '../domain/roles.js';
import type { SlaAnnouncement } from '../domain/sla-escalation.js';
import { buildEvent } from '../events/outbox-event.js';
import { db, tableName } from './client.js';
import { commitMutation } from './commit-mutation.js';
import { slaAnnouncementsKey } from './keys.js';

/** The system actor SLA events and audit entries are attributed to. */
export const SLA_ENGINE: Omit<Actor, 'tenantId'> = { userId: 'sla-engine', roles: [] };

/** The incident facts an announcement carries. */
export type AnnouncedIncident = Pick<Incident, 'tenantId' | 'id' | 'number' | 'version'>;

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
    tenantId: incident.tenantId,
    occurredAt,
    actor: { userId: actor.userId, roles: [...actor.roles] },
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
    write: {
      kind: 'update',
      key: slaAnnouncementsKey(incident.tenantId, incident.id),
      update: {
        UpdateExpression: 'ADD #announced :keys SET #entity = :entity, #updatedAt = :now',
        // A missing set contains nothing, so the first announcement creates the item.
        ConditionExpression: 'NOT contains(#announced, :key)',
        ExpressionAttributeNames: { '#announced': 'announced', '#entity': 'entity', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: {
          ':keys': new Set(announcement.covers),
          ':key': announcement.key,
          ':entity': 'IncidentSlaAnnouncements',
          ':now': occurredAt,
        },
      },
      ifMatch: false,
    },
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
