/**
 * Events of the webhooks practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema } from './common.js';

/** Detail of webhook subscription events. */
export const WebhookEventDetail = EventEnvelope.extend({
  subscriptionId: z.string(),
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
  reason: z.string().optional(),
});
export type WebhookEventDetail = z.infer<typeof WebhookEventDetail>;

/** The webhooks practice's events: detail-type → source, schema, description. */
export const webhookEvents = {
  ...eventsOf('itsm.webhooks', WebhookEventDetail, {
    WebhookSubscriptionCreated: 'An outbound webhook subscription was created.',
    WebhookSubscriptionUpdated: 'Its URL, filter, name or state changed (re-enabling included).',
    WebhookSecretRotated: 'A new signing secret; the previous one signs too for 24 h.',
    WebhookSubscriptionDeleted: 'The subscription was deleted.',
    WebhookSubscriptionDisabled: 'Disabled after a delivery failed every attempt (`reason`); re-enable it with PATCH.',
  }),
};
