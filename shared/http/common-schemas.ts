/**
 * Request schemas every practice uses: ids that end up inside keys, and the
 * paging parameters of lists.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '../domain/identifiers.js';

/** User, group, service and CI ids end up in keys: no `#`, bounded length. */
export const Identifier = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -').meta({ example: 'network-ops' });

export const PageLimit = z.coerce.number().int().min(1).max(100).default(25);
export const PageCursor = z.string().max(2048).optional().meta({ description: 'Opaque cursor from the previous page' });

/** The query of a plain list: `limit` (1–100, default 25) and the previous page's `cursor`. */
export const PageQuery = z.strictObject({ limit: PageLimit, cursor: PageCursor });
