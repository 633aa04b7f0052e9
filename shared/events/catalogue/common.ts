/**
 * What every event detail shares: the envelope (event id, tenant, time,
 * actor), the field-change shape and the settings-event detail.
 * @module
 */
import * as z from 'zod';

/** Who did it. */
export const EventActor = z.object({ userId: z.string(), roles: z.array(z.string()) });

/** Members every event detail carries, so consumers can route and de-duplicate. */
export const EventEnvelope = z.object({
  eventId: z.string().describe('ULID, stable across redeliveries: de-duplicate on it'),
  tenantId: z.string(),
  occurredAt: z.string().describe('ISO-8601 UTC'),
  actor: EventActor,
});

export const FieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

/** Detail of tenant settings events. */
export const SettingsEventDetail = EventEnvelope.extend({
  setting: z.string(),
  version: z.number().int(),
  changes: z.array(FieldChangeSchema),
});
export type SettingsEventDetail = z.infer<typeof SettingsEventDetail>;
