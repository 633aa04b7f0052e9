/**
 * Events of the alerts practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, SettingsEventDetail } from './common.js';

/** Detail of integration key events; the secret and its hash never appear. */
export const IntegrationKeyEventDetail = EventEnvelope.extend({
  keyId: z.string(),
  name: z.string(),
  version: z.number().int(),
});
export type IntegrationKeyEventDetail = z.infer<typeof IntegrationKeyEventDetail>;

/** The alerts practice's events: detail-type → source, schema, description. */
export const alertEvents = {
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    AlertPolicyUpdated: "The tenant's alert policy (auto-resolve, flap window, severity mapping) changed.",
  }),
  ...eventsOf('itsm.tenants', IntegrationKeyEventDetail, {
    IntegrationKeyCreated: 'A monitoring integration key was created.',
    IntegrationKeyRevoked: 'A monitoring integration key was revoked.',
  }),
};
