/**
 * A tenant's alert policy: one settings item beside the incident settings,
 * versioned for `If-Match`. Tenants that never saved one get the default.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AlertPolicy, DEFAULT_ALERT_POLICY } from '../domain/alert.js';
import type { FieldChange } from '../domain/incident.js';
import type { Actor } from '../domain/roles.js';
import { buildEvent } from '../events/outbox-event.js';
import { db, tableName } from './client.js';
import { commitMutation } from './commit-mutation.js';
import { alertPolicyKey } from './keys.js';

/** The policy in force and its version (for ETag / If-Match). */
export interface AlertPolicySetting {
  readonly policy: AlertPolicy;
  /** 0 while the tenant uses the default policy. */
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

interface AlertPolicyItem {
  policy?: Partial<AlertPolicy>;
  version?: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** Stored policies are completed with the defaults, so a field added later has a value for every tenant. */
function toSetting(item: AlertPolicyItem | undefined): AlertPolicySetting {
  const stored = item?.policy ?? {};
  return {
    policy: { ...DEFAULT_ALERT_POLICY, ...stored, severityMapping: { ...DEFAULT_ALERT_POLICY.severityMapping, ...stored.severityMapping } },
    version: item?.version ?? 0,
    updatedAt: item?.updatedAt ?? null,
    updatedBy: item?.updatedBy ?? null,
  };
}

/** The policy in force (strongly consistent: an alert right after a policy change follows the new one). */
export async function getAlertPolicy(tenantId: string): Promise<AlertPolicySetting> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: alertPolicyKey(tenantId), ConsistentRead: true }));
  return toSetting(result.Item as AlertPolicyItem | undefined);
}

/** Replaces the policy if `current.version` is still the stored one. */
export async function saveAlertPolicy(
  actor: Actor,
  current: AlertPolicySetting,
  policy: AlertPolicy,
  now: string,
  ifMatch: boolean,
): Promise<AlertPolicySetting> {
  const version = current.version + 1;
  const changes: FieldChange[] = (Object.keys(policy) as (keyof AlertPolicy)[]).flatMap((field) =>
    JSON.stringify(current.policy[field]) === JSON.stringify(policy[field]) ? [] : [{ field, from: current.policy[field], to: policy[field] }],
  );
  const first = current.version === 0;
  await commitMutation({
    actor,
    recordType: 'AlertPolicy',
    recordId: actor.tenantId,
    write: {
      kind: 'update',
      key: alertPolicyKey(actor.tenantId),
      update: {
        UpdateExpression: 'SET #policy = :policy, #version = :version, updatedAt = :now, updatedBy = :by, entity = :entity',
        ConditionExpression: first ? 'attribute_not_exists(PK)' : '#version = :expected',
        ExpressionAttributeNames: { '#policy': 'policy', '#version': 'version' },
        ExpressionAttributeValues: {
          ':policy': policy,
          ':version': version,
          ':now': now,
          ':by': actor.userId,
          ':entity': 'AlertPolicy',
          ...(first ? {} : { ':expected': current.version }),
        },
      },
      ifMatch,
    },
    audit: { action: 'update', version, changes, facts: {} },
    event: buildEvent('AlertPolicyUpdated', {
      tenantId: actor.tenantId,
      occurredAt: now,
      actor: { userId: actor.userId, roles: [...actor.roles] },
      setting: 'alertPolicy',
      version,
      changes,
    }),
  });
  return { policy, version, updatedAt: now, updatedBy: actor.userId };
}
