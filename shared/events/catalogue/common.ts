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

/** A catalogue entry: the event's source (the practice), its detail schema, what it means. */
export interface CatalogueEntry<S extends z.ZodType = z.ZodType> {
  readonly source: string;
  readonly schema: S;
  readonly description: string;
}

/**
 * Catalogue entries for events that share a source and a detail schema,
 * from detail-type → description: the source and schema are said once per
 * family rather than once per event.
 */
export function eventsOf<S extends z.ZodType, const D extends Record<string, string>>(
  source: `itsm.${string}`,
  schema: S,
  descriptions: D,
): { readonly [K in keyof D]: CatalogueEntry<S> } {
  return Object.fromEntries(Object.entries(descriptions).map(([type, description]) => [type, { source, schema, description }])) as {
    readonly [K in keyof D]: CatalogueEntry<S>;
  };
}
