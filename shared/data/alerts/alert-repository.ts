/**
 * Alert records: one item per tenant and dedup key, pointing at the
 * incident the key belongs to. Counting a repeated trigger is a single
 * conditional UpdateItem; every other change to the record is written in
 * the transaction of the incident change it goes with (via
 * {@link LinkedWrites}), so the record and the incident never disagree.
 * @module
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import type { RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { LinkedWrites } from '#shared/data/incidents/incident-repository.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import type { AlertEvent, AlertRecord } from '#shared/domain/alerts/alert.js';
import { ConflictError } from '#shared/domain/errors.js';
import { alertKey } from './keys.js';

const ENTITY = 'Alert';

/** The alert record of a dedup key, strongly consistent (the caller decides and writes on it). */
export async function getAlert(tenantId: string, dedupKey: string): Promise<AlertRecord | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: alertKey(tenantId, dedupKey), ConsistentRead: true }));
  if (!result.Item) return null;
  return withoutStorageAttributes<AlertRecord>(result.Item);
}

/** What a trigger refreshes on the record: the latest wording and severity. */
function triggerFacts(event: AlertEvent) {
  return { severity: event.payload?.severity ?? null, summary: event.payload?.summary ?? null, source: event.payload?.source ?? null };
}

/** A full record for an incident a trigger just opened. */
export function alertRecordFor(tenantId: string, event: AlertEvent, incident: { id: string; number: string }, now: string): AlertRecord {
  return {
    tenantId,
    dedupKey: event.dedupKey,
    incidentId: incident.id,
    incidentNumber: incident.number,
    occurrences: 1,
    firstTriggeredAt: now,
    lastTriggeredAt: now,
    acknowledgedAt: null,
    resolvedAt: null,
    ...triggerFacts(event),
    integration: event.integration,
  };
}

/**
 * The record written with a new incident. The first record of a dedup key
 * is a conditional Put (`attribute_not_exists`), so of concurrent first
 * triggers exactly one transaction commits; a record that already points at
 * an older incident is repointed only if it still points there.
 */
export function linkNewIncident(record: AlertRecord, previousIncidentId: string | null): LinkedWrites {
  const key = alertKey(record.tenantId, record.dedupKey);
  if (previousIncidentId === null) return { extraItems: [{ ...key, entity: ENTITY, ...record }] };
  const fields = Object.entries(record);
  return {
    relatedUpdates: [
      {
        key,
        update: {
          UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :f${index}`).join(', ')}`,
          ConditionExpression: '#f_incident = :previous',
          ExpressionAttributeNames: { ...Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])), '#f_incident': 'incidentId' },
          ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, value], index) => [`:f${index}`, value])), ':previous': previousIncidentId },
        },
      },
    ],
  };
}

/** An update of the record, only while it still points at `incidentId` (and, optionally, while `unset` is still null). */
function relatedUpdate(
  tenantId: string,
  dedupKey: string,
  incidentId: string,
  update: { set: Record<string, unknown>; add?: Record<string, number>; unset?: string },
): LinkedWrites {
  const names: Record<string, string> = { '#incidentId': 'incidentId' };
  const values: Record<string, unknown> = { ':incidentId': incidentId };
  const sets = Object.entries(update.set).map(([name, value]) => {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    return `#${name} = :${name}`;
  });
  const adds = Object.entries(update.add ?? {}).map(([name, value]) => {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    return `#${name} :${name}`;
  });
  let condition = '#incidentId = :incidentId';
  if (update.unset) {
    names[`#${update.unset}`] = update.unset;
    values[':nullType'] = 'NULL';
    condition += ` AND attribute_type(#${update.unset}, :nullType)`;
  }
  const related: RelatedUpdate = {
    key: alertKey(tenantId, dedupKey),
    update: {
      UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].filter(Boolean).join(' '),
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
  return { relatedUpdates: [related] };
}

/** A reopen by a repeated trigger: one more occurrence, and the alert is unacknowledged and firing again. */
export function linkRetrigger(record: AlertRecord, event: AlertEvent, now: string): LinkedWrites {
  return relatedUpdate(record.tenantId, record.dedupKey, record.incidentId, {
    set: { lastTriggeredAt: now, acknowledgedAt: null, resolvedAt: null, ...triggerFacts(event) },
    add: { occurrences: 1 },
  });
}

/** An acknowledge, recorded once: a concurrent second one finds `acknowledgedAt` set and loses. */
export function linkAcknowledged(record: AlertRecord, now: string): LinkedWrites {
  return relatedUpdate(record.tenantId, record.dedupKey, record.incidentId, { set: { acknowledgedAt: now }, unset: 'acknowledgedAt' });
}

/** A recovery, recorded once per trigger. */
export function linkRecovered(record: AlertRecord, now: string): LinkedWrites {
  return relatedUpdate(record.tenantId, record.dedupKey, record.incidentId, { set: { resolvedAt: now }, unset: 'resolvedAt' });
}

/**
 * Counts a trigger against the open incident the record points at: one
 * UpdateItem, no incident write, so a storm costs one small write per
 * event. Returns `false` when the record no longer points at that incident
 * (a concurrent trigger replaced it): the caller decides again.
 */
export async function countAlertTrigger(record: AlertRecord, event: AlertEvent, now: string): Promise<boolean> {
  const facts = triggerFacts(event);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: alertKey(record.tenantId, record.dedupKey),
        // A new trigger after a reported recovery means the alert fires again: clear the recovery.
        UpdateExpression: 'ADD #occurrences :one SET #last = :now, #resolvedAt = :null, #severity = :severity, #summary = :summary, #source = :source',
        ConditionExpression: '#incidentId = :incidentId',
        ExpressionAttributeNames: {
          '#occurrences': 'occurrences',
          '#last': 'lastTriggeredAt',
          '#resolvedAt': 'resolvedAt',
          '#severity': 'severity',
          '#summary': 'summary',
          '#source': 'source',
          '#incidentId': 'incidentId',
        },
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now,
          ':null': null,
          ':severity': facts.severity,
          ':summary': facts.summary,
          ':source': facts.source,
          ':incidentId': record.incidentId,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    // The record is inside another request's transaction right now: try again from a fresh read.
    if ((error as { name?: string }).name === 'TransactionConflictException') throw new ConflictError('The alert is being changed concurrently; retry.');
    throw error;
  }
}
