/**
 * Schemas of the tenant settings API.
 * @module
 */
import * as z from 'zod';
import { DEFAULT_ALERT_POLICY, MAX_FLAP_WINDOW_SECONDS } from '../../shared/domain/alert.js';
import { escalationPolicySchema } from '../../shared/domain/escalation-policy.js';
import { slaPolicySchema } from '../../shared/domain/sla-policy.js';
import { Identifier } from '../../shared/http/common-schemas.js';

const Cell = z.number().int().min(1).max(5);

export const PriorityMatrixBody = z
  .strictObject({
    matrix: z
      .array(z.array(Cell).length(3))
      .length(3)
      .meta({
        description: 'matrix[impact - 1][urgency - 1] = priority (1 = critical … 5 = planning)',
        example: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      }),
  })
  .meta({ id: 'PriorityMatrixUpdate' });

export const PriorityMatrixResource = z
  .object({
    matrix: z.array(z.array(Cell)),
    labels: z.record(z.string(), z.string()),
    version: z.number().int().meta({ description: '0 while the default applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'PriorityMatrix' });

/** A ULID, as every integration key id is. */
export const IntegrationKeyIdParams = z.strictObject({
  keyId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    .meta({ description: 'Integration key id (ULID)', example: '01KAZ9T4X8M3Q2W7E5R1Y6U0IP' }),
});

/** A name that says which tool uses the key, so a revoke hits the right one. */
export const CreateIntegrationKeyBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters').meta({ example: 'Prometheus Alertmanager' }),
  })
  .meta({ id: 'CreateIntegrationKey' });

/** An integration key as listed. */
export const IntegrationKeyResource = z
  .object({
    keyId: z.string(),
    name: z.string(),
    status: z.enum(['active', 'revoked']),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'IntegrationKey', description: 'An integration key; its secret is never shown again after creation' });

/** The answer to a create: the key and, this once, its routing key. */
export const NewIntegrationKeyResource = IntegrationKeyResource.extend({
  routingKey: z.string().meta({
    description: 'Send this as `routing_key` to POST /alerts. Shown once: only a hash is kept.',
    example: 'acme.01KAZ9T4X8M3Q2W7E5R1Y6U0IP.p3vQ…',
  }),
}).meta({ id: 'NewIntegrationKey' });

/** A page of keys, oldest first. */
export const IntegrationKeyPage = z.object({ items: z.array(IntegrationKeyResource), nextCursor: z.string().nullable() }).meta({ id: 'IntegrationKeyPage' });

const Level = z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({ description: '1 = high, 3 = low' });
const Levels = z.strictObject({ impact: Level, urgency: Level });
const DEFAULT_LEVELS = DEFAULT_ALERT_POLICY.severityMapping;

const AlertPolicyFields = {
  autoResolve: z.boolean().meta({ description: 'A resolve event resolves the incident; otherwise it adds a work note' }),
  flapWindowSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_FLAP_WINDOW_SECONDS)
    .meta({ description: 'A trigger this soon after resolution reopens the incident instead of opening a new one; 0 never reopens' }),
  severityMapping: z.strictObject({ critical: Levels, error: Levels, warning: Levels, info: Levels }),
  defaultCategory: z.string().trim().min(1, 'Required').max(100, 'At most 100 characters'),
  defaultAssignmentGroup: Identifier.nullable().meta({ description: 'Incidents opened by monitoring are dispatched here; null leaves them new' }),
};

/** PUT replaces the whole policy: an omitted field takes its default, so the body alone says what is in force. */
export const AlertPolicyBody = z
  .strictObject({
    autoResolve: AlertPolicyFields.autoResolve.default(DEFAULT_ALERT_POLICY.autoResolve),
    flapWindowSeconds: AlertPolicyFields.flapWindowSeconds.default(DEFAULT_ALERT_POLICY.flapWindowSeconds),
    severityMapping: z
      .strictObject({
        critical: Levels.default({ ...DEFAULT_LEVELS.critical }),
        error: Levels.default({ ...DEFAULT_LEVELS.error }),
        warning: Levels.default({ ...DEFAULT_LEVELS.warning }),
        info: Levels.default({ ...DEFAULT_LEVELS.info }),
      })
      .default({
        critical: { ...DEFAULT_LEVELS.critical },
        error: { ...DEFAULT_LEVELS.error },
        warning: { ...DEFAULT_LEVELS.warning },
        info: { ...DEFAULT_LEVELS.info },
      })
      .meta({ description: 'Impact and urgency of the incident an alert of each severity opens' }),
    defaultCategory: AlertPolicyFields.defaultCategory.default(DEFAULT_ALERT_POLICY.defaultCategory),
    defaultAssignmentGroup: AlertPolicyFields.defaultAssignmentGroup.default(DEFAULT_ALERT_POLICY.defaultAssignmentGroup),
  })
  .meta({ id: 'AlertPolicyUpdate' });

/** The policy in force, its version (also the ETag) and who last changed it. */
export const AlertPolicyResource = z
  .object({
    policy: z.object(AlertPolicyFields),
    version: z.number().int().meta({ description: '0 while the default applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'AlertPolicy' });

/** Body of `PUT /settings/sla`: the SLA definitions in order (the first that applies wins) and calendar overrides. */
export const SlaPolicyBody = slaPolicySchema.meta({ id: 'SlaPolicyUpdate' });

export const SlaPolicyResource = z
  .object({
    definitions: z.array(z.record(z.string(), z.unknown())).meta({ description: 'As sent in PUT, with defaults filled in' }),
    calendarOverrides: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int().meta({ description: '0 while the standard SLA applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'SlaPolicy' });

/** Body of `PUT /settings/escalation`: the levels, in order. */
export const EscalationPolicyBody = escalationPolicySchema.meta({ id: 'EscalationPolicyUpdate' });

export const EscalationPolicyResource = z
  .object({
    levels: z.array(z.record(z.string(), z.unknown())).meta({ description: 'As sent in PUT, with defaults filled in' }),
    version: z.number().int().meta({ description: '0 while the seed policy applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'EscalationPolicy' });
