/**
 * Parses and validates the parts of a request against the route's zod
 * schemas, reporting every failing field at once.
 * @module
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, type FieldError, NotFoundError, ValidationError } from '#shared/domain/errors.js';

/** Bodies above this are refused before parsing (API Gateway allows 10 MB). */
export const MAX_BODY_BYTES = 64 * 1024;

class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type' as const;
}

class ContentTooLargeError extends DomainError {
  readonly kind = 'too-large' as const;
}

export function fieldErrors(error: z.ZodError, part: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'Unknown field' }));
    return [{ field: base, message: issue.message }];
  });
}

function validate<T extends z.ZodType>(schema: T, value: unknown, part: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`The request ${part} is not valid.`, fieldErrors(result.error, part));
  return result.data;
}

/** Path parameters that do not parse name nothing that exists: 404, not 400. */
export function parseParams<T extends z.ZodType>(schema: T | undefined, event: APIGatewayProxyEvent): z.infer<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(event.pathParameters ?? {});
  if (!result.success) throw new NotFoundError('No such resource.');
  return result.data;
}

export function parseQuery<T extends z.ZodType>(schema: T | undefined, event: APIGatewayProxyEvent): z.infer<T> | undefined {
  const query = event.queryStringParameters ?? {};
  if (!schema) {
    if (Object.keys(query).length > 0)
      throw new ValidationError(
        'This operation takes no query parameters.',
        Object.keys(query).map((key) => ({ field: `query.${key}`, message: 'Unknown parameter' })),
      );
    return undefined;
  }
  return validate(schema, query, 'query');
}

/** What a route says about its body beyond the schema. */
export interface BodyOptions {
  readonly format?: 'ndjson' | undefined;
  readonly maxBytes?: number | undefined;
}

const NDJSON_TYPE = /^application\/(x-ndjson|jsonl|json-lines|x-jsonlines)\b/i;

export function parseBody<T extends z.ZodType>(
  schema: T | undefined,
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  options: BodyOptions = {},
): z.infer<T> | undefined {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (!schema) {
    if (raw.trim() !== '' && raw.trim() !== '{}') throw new ValidationError('This operation takes no request body.');
    return undefined;
  }
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  if (Buffer.byteLength(raw) > maxBytes) throw new ContentTooLargeError(`The body exceeds ${maxBytes} bytes.`);
  if (options.format === 'ndjson') {
    if (!NDJSON_TYPE.test(headers['content-type'] ?? ''))
      throw new UnsupportedMediaTypeError('Send the body as application/x-ndjson (one JSON document per line).');
    // Each line keeps its number (1-based position); a final newline ends the last line rather than adding one.
    return validate(schema, raw.replace(/\r?\n$/, '').split(/\r?\n/), 'body');
  }
  let json: unknown = {};
  if (raw.trim() !== '') {
    const type = headers['content-type'] ?? '';
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new UnsupportedMediaTypeError('Send the body as application/json.');
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new ValidationError(`The body is not valid JSON: ${(error as Error).message}`, [{ field: 'body', message: 'Malformed JSON' }]);
    }
  }
  return validate(schema, json, 'body');
}

/** Header names lower-cased: HTTP headers are case-insensitive, API Gateway keeps the client's case. */
export function lowerCaseHeaders(event: Pick<APIGatewayProxyEvent, 'headers'>): Record<string, string> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).flatMap(([name, value]) => (value === undefined ? [] : [[name.toLowerCase(), value]])));
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The `Idempotency-Key` header, checked for shape. */
export function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError('Idempotency-Key must be 1–128 characters of letters, digits, and _ . : -', [
      { field: 'header.idempotency-key', message: 'Invalid format' },
    ]);
  }
  return key;
}

/**
 * The version named by `If-Match` (`"3"` or `W/"3"`), `undefined` when the
 * header is absent or `*`. A value that is no version of ours cannot match.
 */
export function expectedVersionOf(headers: Record<string, string>): number | 'never' | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  return match ? Number(match[1]) : 'never';
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Same request ⇔ same hash: method, path and the parsed body with sorted keys. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableJson(body)}`)
    .digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
