/**
 * Events of the groups practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema, SettingsEventDetail } from './common.js';

/** Detail of assignment group events. */
export const GroupEventDetail = EventEnvelope.extend({
  code: z.string().describe('The group code incidents store as their assignmentGroup'),
  name: z.string(),
  tier: z.string(),
  managerId: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
});
export type GroupEventDetail = z.infer<typeof GroupEventDetail>;

/** The groups practice's events: detail-type → source, schema, description. */
export const groupEvents = {
  ...eventsOf('itsm.groups', GroupEventDetail, {
    GroupCreated: 'An assignment group was formed (members, manager, tier, calendar).',
    GroupUpdated: 'Its name, members, manager, tier, calendar or escalation target changed.',
    GroupRetired: 'The group takes no more dispatches; its record and history stay.',
  }),
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    GroupTiersUpdated: "The tenant's support tiers (order, names, default groups) changed.",
  }),
};
