/**
 * Versioned tenant settings (alert policy, SLA …): one item each in the
 * tenant's settings partition, read with a consistent GetItem, replaced
 * through `commitMutation` (audit entry and `<Name>Updated` event included)
 * when the version read is still current. A tenant that never saved a
 * setting gets its default, at version 0.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import type { EVENT_CATALOGUE, EventType, SettingsEventDetail } from '#shared/events/catalogue.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { db, tableName } from './client.js';
import { commitMutation } from './commit-mutation.js';
import type { PrimaryKey } from './keys.js';

/** A setting's value and version (for ETag / If-Match). */
export interface Setting<T> {
  readonly value: T;
  /** 0 while the tenant uses the default. */
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** The event types whose detail is a settings change. */
type SettingsEventType = { [K in EventType]: (typeof EVENT_CATALOGUE)[K]['schema'] extends typeof SettingsEventDetail ? K : never }[EventType];

/** How one kind of setting is stored and announced. */
export interface SettingKind<T> {
  /** Names the setting in its event (`setting`) and the audit trail (`recordType`). */
  readonly name: string;
  readonly key: (tenantId: string) => PrimaryKey;
  readonly eventType: SettingsEventType;
  /** The value in force when nothing is stored, or completes a stored one (fields added later). */
  readonly complete: (stored: Partial<T> | undefined) => T;
}

interface SettingItem<T> {
  value?: Partial<T>;
  version?: number;
  updatedAt?: string;
  updatedBy?: string;
}

export async function getSetting<T>(kind: SettingKind<T>, tenantId: string): Promise<Setting<T>> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: kind.key(tenantId), ConsistentRead: true }));
  return settingFromItem(kind, result.Item);
}

/** The setting a stored item holds (its default when there is none), for repositories that read it with other items in one call. */
export function settingFromItem<T>(kind: SettingKind<T>, stored: Record<string, unknown> | undefined): Setting<T> {
  const item = stored as SettingItem<T> | undefined;
  return { value: kind.complete(item?.value), version: item?.version ?? 0, updatedAt: item?.updatedAt ?? null, updatedBy: item?.updatedBy ?? null };
}

/** Replaces the setting if `current.version` is still the stored one (412/409 otherwise). */
export async function saveSetting<T extends object>(
  kind: SettingKind<T>,
  actor: Actor,
  current: Setting<T>,
  value: T,
  now: string,
  ifMatch: boolean,
): Promise<Setting<T>> {
  const version = current.version + 1;
  const changes: FieldChange[] = (Object.keys(value) as (keyof T & string)[]).flatMap((field) =>
    JSON.stringify(current.value[field]) === JSON.stringify(value[field]) ? [] : [{ field, from: current.value[field], to: value[field] }],
  );
  const first = current.version === 0;
  await commitMutation({
    actor,
    recordType: kind.name,
    recordId: actor.tenantId,
    write: {
      kind: 'update',
      key: kind.key(actor.tenantId),
      update: {
        UpdateExpression: 'SET #value = :value, #version = :version, updatedAt = :now, updatedBy = :by, entity = :entity',
        ConditionExpression: first ? 'attribute_not_exists(PK)' : '#version = :expected',
        ExpressionAttributeNames: { '#value': 'value', '#version': 'version' },
        ExpressionAttributeValues: {
          ':value': value,
          ':version': version,
          ':now': now,
          ':by': actor.userId,
          ':entity': kind.name,
          ...(first ? {} : { ':expected': current.version }),
        },
      },
      ifMatch,
    },
    audit: { action: 'update', version, changes, facts: {} },
    event: buildEvent<SettingsEventType>(kind.eventType, {
      ...eventEnvelope(actor.tenantId, now, actor),
      setting: kind.name,
      version,
      changes,
    }),
  });
  return { value, version, updatedAt: now, updatedBy: actor.userId };
}
