/**
 * A tenant's incident settings item: the number sequence and the priority
 * matrix live together so that a create allocates its number and reads the
 * matrix in one UpdateItem.
 * @module
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation } from '#shared/data/commit-mutation.js';
import { formatNumber, incrementSequence } from '#shared/data/number-sequence.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { DEFAULT_PRIORITY_MATRIX, type PriorityMatrix } from '#shared/domain/incidents/priority-matrix.js';
import type { Actor } from '#shared/domain/roles.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { incidentSettingsKey } from './keys.js';

export interface PriorityMatrixSetting {
  readonly matrix: PriorityMatrix;
  /** 0 while the tenant uses the default matrix. */
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

interface SettingsItem {
  seq?: number;
  matrix?: PriorityMatrix;
  matrixVersion?: number;
  matrixUpdatedAt?: string;
  matrixUpdatedBy?: string;
}

function toSetting(item: SettingsItem | undefined): PriorityMatrixSetting {
  return {
    matrix: item?.matrix ?? DEFAULT_PRIORITY_MATRIX,
    version: item?.matrixVersion ?? 0,
    updatedAt: item?.matrixUpdatedAt ?? null,
    updatedBy: item?.matrixUpdatedBy ?? null,
  };
}

/** Incident numbers start at INC0001001, as the seeds' examples do. */
export function formatIncidentNumber(sequence: number): string {
  return formatNumber('INC', sequence);
}

/**
 * Takes the next incident number and returns the matrix in force. Numbers
 * are never reused; a create that fails afterwards leaves a gap, which is
 * the price of not locking the counter.
 */
export async function allocateIncidentNumber(tenantId: string): Promise<{ number: string; matrix: PriorityMatrix }> {
  // The counter lives on the settings item: one call gives the number and the matrix.
  const { seq, item } = await incrementSequence(incidentSettingsKey(tenantId), 'IncidentSettings');
  return { number: formatIncidentNumber(seq), matrix: toSetting(item as SettingsItem).matrix };
}

export async function getPriorityMatrix(tenantId: string): Promise<PriorityMatrixSetting> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: incidentSettingsKey(tenantId), ConsistentRead: true }));
  return toSetting(result.Item as SettingsItem | undefined);
}

/**
 * Replaces the matrix if `expectedVersion` is still current. Existing
 * incidents keep their priority until their impact or urgency is edited.
 */
export async function savePriorityMatrix(
  actor: Actor,
  current: PriorityMatrixSetting,
  matrix: PriorityMatrix,
  now: string,
  ifMatch: boolean,
): Promise<PriorityMatrixSetting> {
  const version = current.version + 1;
  const changes: FieldChange[] = [{ field: 'matrix', from: current.matrix, to: matrix }];
  await commitMutation({
    actor,
    recordType: 'PriorityMatrix',
    recordId: actor.tenantId,
    write: {
      kind: 'update',
      key: incidentSettingsKey(actor.tenantId),
      update: {
        UpdateExpression: 'SET #matrix = :matrix, matrixVersion = :version, matrixUpdatedAt = :now, matrixUpdatedBy = :by, entity = :entity',
        ConditionExpression: current.version === 0 ? 'attribute_not_exists(matrixVersion)' : 'matrixVersion = :expected',
        ExpressionAttributeNames: { '#matrix': 'matrix' },
        ExpressionAttributeValues: {
          ':matrix': matrix,
          ':version': version,
          ':now': now,
          ':by': actor.userId,
          ':entity': 'IncidentSettings',
          ...(current.version === 0 ? {} : { ':expected': current.version }),
        },
      },
      ifMatch,
    },
    audit: { action: 'update', version, changes, facts: {} },
    event: buildEvent('PriorityMatrixUpdated', {
      ...eventEnvelope(actor.tenantId, now, actor),
      setting: 'priorityMatrix',
      version,
      changes,
    }),
  });
  return { matrix, version, updatedAt: now, updatedBy: actor.userId };
}
