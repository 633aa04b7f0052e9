/**
 * Request schemas every practice uses: ids that end up inside keys, and the
 * paging parameters of lists.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';

/** User, group, service and CI ids end up in keys: no `#`, bounded length. */
export const Identifier = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -').meta({ example: 'network-ops' });

export const PageLimit = z.coerce.number().int().min(1).max(100).default(25);
export const PageCursor = z.string().max(2048).optional().meta({ description: 'Opaque cursor from the previous page' });

/** The query of a plain list: `limit` (1–100, default 25) and the previous page's `cursor`. */
export const PageQuery = z.strictObject({ limit: PageLimit, cursor: PageCursor });

const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });

/** One audit entry, as every history route returns it. */
export const AuditEntryResource = z
  .object({
    auditId: z.string(),
    action: z.string(),
    version: z.number().int(),
    actorId: z.string(),
    actorRoles: z.array(z.string()),
    at: Timestamp,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    facts: z.record(z.string(), z.unknown()),
    eventId: z.string(),
  })
  .meta({ id: 'AuditEntry' });
/** A page of a list: its items and the cursor of the next page (null on the last), as one named schema. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const HistoryPage = pageOf(AuditEntryResource, 'HistoryPage');
