/**
 * Events of the cmdb practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema, SettingsEventDetail } from './common.js';

/** Detail of CI events; `facts.importId` marks a change made by a bulk import. */
export const CiEventDetail = EventEnvelope.extend({
  ciId: z.string(),
  class: z.string(),
  name: z.string(),
  status: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type CiEventDetail = z.infer<typeof CiEventDetail>;

/** Detail of relationship events, in the stored direction: the dependent —type→ the dependency. */
export const CiRelationshipEventDetail = EventEnvelope.extend({
  change: z.enum(['added', 'removed']),
  type: z.string().describe('depends_on, runs_on, contains or connects_to'),
  dependentId: z.string(),
  dependencyId: z.string(),
  version: z.number().int().describe('1 when added; the edge is removed whole'),
});
export type CiRelationshipEventDetail = z.infer<typeof CiRelationshipEventDetail>;

/** Detail of a bulk import: one event per import request, with its counts (records are not announced one by one). */
export const CiImportEventDetail = EventEnvelope.extend({
  importId: z.string(),
  version: z.number().int(),
  lines: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  relationshipsAdded: z.number().int(),
});
export type CiImportEventDetail = z.infer<typeof CiImportEventDetail>;

/** The cmdb practice's events: detail-type → source, schema, description. */
export const cmdbEvents = {
  ...eventsOf('itsm.cmdb', CiEventDetail, {
    CiCreated: 'A configuration item was recorded.',
    CiUpdated: 'Attributes of a configuration item changed (`changes`, one per attribute).',
    CiRetired: 'A configuration item was retired; it keeps its history and relationships.',
  }),
  ...eventsOf('itsm.cmdb', CiRelationshipEventDetail, {
    CiRelationshipChanged: 'A relationship between two CIs was added or removed (stored direction: dependent → dependency).',
  }),
  ...eventsOf('itsm.cmdb', CiImportEventDetail, {
    CisImported: 'A bulk import request was applied (counts per outcome).',
  }),
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    CmdbSettingsUpdated: "The tenant's CMDB settings (custom attributes, service code pattern, staleness) changed.",
  }),
};
