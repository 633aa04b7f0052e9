/**
 * One-off, operator-run: turns the free-text assignment groups of one
 * tenant's stored data into group records
 * (`shared/services/groups/free-text-migration.ts`). Invoke with
 * `{ "tenantId": "acme" }`, then again with the `nextCursor` it answers
 * until that is null; safe to run again. See docs/groups.md.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { migrateFreeTextGroups } from '#shared/services/groups/free-text-migration.js';

const input = z.strictObject({
  tenantId: z.string().regex(SAFE_ID),
  cursor: z.string().max(2048).optional(),
  maxPages: z.number().int().min(1).max(1000).optional(),
});

export const handler = backgroundHandler('groups/migrate-free-text-groups', async (event: unknown) => {
  const { tenantId, cursor, maxPages } = input.parse(event);
  const outcome = await migrateFreeTextGroups(tenantId, { cursor, maxPages, now: now().toISOString() });
  logger.info('Free-text groups migrated', { ...outcome });
  return outcome;
});
