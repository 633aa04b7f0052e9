/**
 * Schemas of the webhook API.
 * @module
 */
import * as z from 'zod';
import { DELIVERY_STATUSES } from '#shared/domain/webhooks/webhook.js';
import { pageOf } from '#shared/http/common-schemas.js';

const Pattern = z
  .record(z.string(), z.unknown())
  .refine((pattern) => JSON.stringify(pattern).length <= 4096, 'At most 4 KB')
  .meta({
    description: 'An EventBridge event pattern over the event envelope (source, detail-type, detail …)',
    example: { source: ['itsm.incidents'], 'detail-type': ['IncidentCreated', 'IncidentResolved'], detail: { priority: [{ numeric: ['<=', 2] }] } },
  });

export const WebhookIdParams = z.strictObject({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/) });
export const DeliveryParams = z.strictObject({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), deliveryId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/) });

export const CreateWebhookBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    url: z.string().max(2048).meta({
      example: 'https://hooks.example.com/itsm',
      description: 'https, no credentials, reaching public addresses only (checked when saved and at each delivery; 422 otherwise)',
    }),
    pattern: Pattern,
  })
  .meta({ id: 'CreateWebhook' });

export const UpdateWebhookBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    url: z
      .string()
      .max(2048)
      .optional()
      .meta({ description: 'https, no credentials, reaching public addresses only (checked when saved and at each delivery; 422 otherwise)' }),
    pattern: Pattern.optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables a subscription that was disabled after failures' }),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateWebhook' });

export const WebhookResource = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    pattern: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Webhook' });

export const WebhookWithSecret = WebhookResource.extend({
  secret: z
    .string()
    .meta({ description: 'Shown once: verify `webhook-signature` with it (Standard Webhooks, HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>")' }),
}).meta({ id: 'WebhookWithSecret' });

export const WebhookList = z.object({ items: z.array(WebhookResource) }).meta({ id: 'WebhookList' });

export const DeliveryResource = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    eventType: z.string(),
    event: z.record(z.string(), z.unknown()),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastAttemptAt: z.string().nullable(),
    lastResponseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryPage = pageOf(DeliveryResource, 'WebhookDeliveryPage');
