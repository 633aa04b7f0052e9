/**
 * Schemas of `POST /alerts`: the PagerDuty Events API v2 body, so a
 * monitoring tool that can notify PagerDuty can notify us by changing the
 * URL and the routing key. Field names are PagerDuty's (snake_case).
 * @module
 */
import * as z from 'zod';
import { ALERT_OUTCOMES, ALERT_SEVERITIES } from '../../shared/domain/alert.js';

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
