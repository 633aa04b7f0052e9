/**
 * Events of the tenants practice (tenant life cycle, people, exports):
 * detail schemas and catalogue entries. `tenantId` is the tenant the event
 * is about, so a tenant's webhooks hear of its own suspension; the
 * operator's events are written to the platform's outbox, so a deleted
 * tenant's `TenantDeleted` survives its data.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema } from './common.js';

/** Detail of tenant life-cycle events. */
export const TenantEventDetail = EventEnvelope.extend({
  name: z.string(),
  tier: z.string(),
  status: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
  reason: z.string().optional(),
  itemsDeleted: z.number().int().optional(),
  itemsLeft: z.number().int().nullable().optional(),
});
export type TenantEventDetail = z.infer<typeof TenantEventDetail>;

/** Detail of people events. */
export const UserEventDetail = EventEnvelope.extend({
  userId: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
  status: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
});
export type UserEventDetail = z.infer<typeof UserEventDetail>;

/** Detail of export job events. */
export const ExportEventDetail = EventEnvelope.extend({
  exportId: z.string(),
  status: z.string(),
  itemsWritten: z.number().int(),
  batches: z.number().int(),
  version: z.number().int(),
});
export type ExportEventDetail = z.infer<typeof ExportEventDetail>;

export const tenantEvents = {
  ...eventsOf('itsm.tenants', TenantEventDetail, {
    TenantCreated: 'The platform operator created a tenant; its default settings were copied from templates and its first tenant admin invited.',
    TenantSuspended: "The operator suspended the tenant: its users' calls answer 403 `tenant-suspended`; its data is kept.",
    TenantResumed: 'The operator resumed a suspended tenant: its users can work again.',
    TenantTierChanged: "The operator moved the tenant to another commercial tier (`changes`): its request rate, burst, quotas and its API key's usage plan.",
    TenantDeletionStarted: 'The operator started deleting a suspended, exported tenant; the deletion worker removes its items a batch at a time.',
    TenantDeletionProgressed: 'A batch of the deletion was done (`changes` says how far); the worker continues with the next.',
    TenantDeleted: "Every item under the tenant's keys was removed and a count found zero left (`itemsDeleted`, `itemsLeft`: 0).",
  }),
  ...eventsOf('itsm.tenants', UserEventDetail, {
    UserInvited: 'A tenant admin (or the operator, for the first admin) invited a user: identity created, roles granted, profile stored.',
    UserRolesChanged: "A tenant admin changed a user's roles.",
    UserProfileUpdated: "A tenant admin changed a user's profile (name, phone, locale, time zone): what notifications and on-call use.",
    UserDisabled: 'A tenant admin disabled a user: they can no longer sign in; their record and history stay.',
  }),
  ...eventsOf('itsm.tenants', ExportEventDetail, {
    TenantExportRequested: "An export of all of the tenant's records was requested; the export worker starts on it.",
    TenantExportProgressed: 'A batch of the export was written; the worker continues with the next.',
    TenantExportCompleted: "The export is complete: every record type as JSON Lines at the job's location.",
    TenantExportFailed: 'The export failed (`error` on the job); request a new one.',
  }),
};
