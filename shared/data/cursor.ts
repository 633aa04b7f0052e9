/**
 * Opaque page cursors. A cursor is the DynamoDB `LastEvaluatedKey`,
 * base64url-encoded; decoding checks that it belongs to the partition being
 * read, so a cursor from another queue or tenant is refused, not followed.
 * @module
 */
import { ValidationError } from '#shared/domain/errors.js';
import { KEY_ATTRIBUTES } from './table-definition.js';

export type PageKey = Record<string, string>;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/** Decodes `cursor`, requiring `partitionAttribute` to equal `partitionValue`. */
export function decodeCursor(cursor: string | undefined, partitionAttribute: string, partitionValue: string): PageKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = invalidCursorError;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const wellFormed = entries.every(([name, value]) => KEY_ATTRIBUTES.includes(name) && typeof value === 'string');
  if (!wellFormed || (key as PageKey)[partitionAttribute] !== partitionValue) throw invalid();
  return key as PageKey;
}

/** The 400 for a cursor that does not belong to the list being read. */
export function invalidCursorError(): ValidationError {
  return new ValidationError('The cursor is not valid for this list.', [{ field: 'query.cursor', message: 'Invalid cursor' }]);
}

/** A page of results and the cursor of the next page, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}
