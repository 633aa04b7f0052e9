/**
 * Schemas of `POST /alerts`: the PagerDuty Events API v2 body, so a
 * monitoring tool that can notify PagerDuty can notify us by changing the
 * URL and the routing key. Field names are PagerDuty's (snake_case).
 * @module
 */
import * as z from 'zod';
import { ALERT_OUTCOMES, ALERT_SEVERITIES, DEFAULT_ALERT_POLICY, MAX_FLAP_WINDOW_SECONDS } from '#shared/domain/alerts/alert.js';
import { Identifier, pageOf } from '#shared/http/common-schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);

const Payload = z
  .strictObject({
    summary: text(1024).meta({ description: 'Becomes the incident title (cut at 200 characters)', example: 'Disk 95 % full on db-01' }),
    source: text(255).meta({ description: 'The affected system', example: 'db-01.prod' }),
    severity: z.enum(ALERT_SEVERITIES).meta({ description: "Mapped to impact and urgency by the tenant's alert policy" }),
    timestamp: z.string().max(64).optional().meta({ description: 'When the monitoring tool saw it (ISO-8601); informational' }),
    component: text(255).optional().meta({ description: 'Becomes the incident CI when it is an id (letters, digits, . _ @ : -)', example: 'db-01' }),
    group: text(255).optional(),
    class: text(255).optional(),
    custom_details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Copied into the incident description' }),
  })
  .meta({ id: 'AlertPayload' });

const common = {
  routing_key: z.string().min(1, 'Required').max(512).meta({ description: 'An integration key of your tenant (POST /settings/integration-keys)' }),
  client: text(255).optional().meta({ description: 'Name of the monitoring tool', example: 'Alertmanager' }),
  client_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional()
    .meta({ description: 'Link back to the monitoring tool' }),
  // Accepted for PagerDuty compatibility and not used.
  images: z.array(z.unknown()).max(50).optional(),
  links: z.array(z.unknown()).max(50).optional(),
};

const DedupKey = z.string().min(1, 'Required').max(255, 'At most 255 characters');

/** The event: `payload` is required for a trigger, `dedup_key` for acknowledge and resolve. */
export const IngestAlertBody = z
  .discriminatedUnion('event_action', [
    z.strictObject({
      ...common,
      event_action: z.literal('trigger'),
      dedup_key: DedupKey.optional().meta({ description: 'Groups repeats into one incident; defaults to a hash of payload.source and payload.summary' }),
      payload: Payload,
    }),
    z.strictObject({
      ...common,
      event_action: z.enum(['acknowledge', 'resolve']),
      dedup_key: DedupKey.meta({ description: 'The dedup key of the trigger' }),
      // PagerDuty ignores a payload here; we accept one and use its summary in notes.
      payload: Payload.partial().optional(),
    }),
  ])
  .meta({ id: 'AlertEvent', description: 'PagerDuty Events API v2 event' });

/** PagerDuty's answer (`status`, `message`, `dedup_key`) plus what happened to which incident. */
export const AlertAccepted = z
  .object({
    status: z.literal('success'),
    message: z.string(),
    dedup_key: z.string(),
    incidentId: z.string().nullable(),
    incidentNumber: z.string().nullable(),
    action: z.enum(ALERT_OUTCOMES).meta({ description: 'What the event did to the incident' }),
  })
  .meta({ id: 'AlertAccepted' });

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
export const IntegrationKeyPage = pageOf(IntegrationKeyResource, 'IntegrationKeyPage');

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
