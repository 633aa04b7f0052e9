/**
 * JSON-lines bodies (bulk import) and text responses (export): the lines
 * reach the schema as strings with their positions, the content type and
 * the route's own size limit are enforced, and a text result goes out as is.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { toProxyResult } from '#shared/http/http-handler.js';
import { MAX_BODY_BYTES, parseBody } from '#shared/http/request-validation.js';

const Lines = z.array(z.string()).max(3);
const event = (body: string) => ({ body, isBase64Encoded: false }) as unknown as APIGatewayProxyEvent;
const ndjson = { 'content-type': 'application/x-ndjson' };

function thrown(act: () => unknown): { kind?: string; errors?: { field: string }[] } {
  try {
    act();
  } catch (error) {
    return error as { kind?: string };
  }
  throw new Error('Expected the call to throw.');
}

describe('parseBody with JSON lines', () => {
  it.each([
    ['{"a":1}\n{"b":2}', ['{"a":1}', '{"b":2}']],
    ['{"a":1}\r\n{"b":2}\r\n', ['{"a":1}', '{"b":2}']],
    ['{"a":1}\n\n{"b":2}', ['{"a":1}', '', '{"b":2}']],
    ['not json at all', ['not json at all']],
  ])('%j → %j (lines keep their positions; a final newline adds none)', (body, lines) => {
    expect(parseBody(Lines, event(body), ndjson, { format: 'ndjson' })).toEqual(lines);
  });

  it.each(['application/x-ndjson', 'application/jsonl', 'application/json-lines; charset=utf-8'])('accepts %s', (type) => {
    expect(parseBody(Lines, event('{}'), { 'content-type': type }, { format: 'ndjson' })).toEqual(['{}']);
  });

  it('refuses JSON as 415', () => {
    expect(thrown(() => parseBody(Lines, event('{}'), { 'content-type': 'application/json' }, { format: 'ndjson' })).kind).toBe('unsupported-media-type');
  });

  it('applies the schema to the lines (too many → 400 naming the body)', () => {
    const error = thrown(() => parseBody(Lines, event('1\n2\n3\n4'), ndjson, { format: 'ndjson' }));
    expect(error.kind).toBe('invalid');
    expect(error.errors?.map((e) => e.field)).toEqual(['body']);
  });

  it("uses the route's size limit instead of the default", () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 10);
    expect(parseBody(z.array(z.string()), event(big), ndjson, { format: 'ndjson', maxBytes: 2 * MAX_BODY_BYTES })).toEqual([big]);
    expect(thrown(() => parseBody(z.array(z.string()), event(big), ndjson, { format: 'ndjson' })).kind).toBe('too-large');
    expect(thrown(() => parseBody(z.array(z.string()), event(`${big}${big}`), ndjson, { format: 'ndjson', maxBytes: 2 * MAX_BODY_BYTES })).kind).toBe(
      'too-large',
    );
  });
});

describe('toProxyResult with a text body', () => {
  it('sends the text as is, with the content type the handler chose', () => {
    const result = toProxyResult({ statusCode: 200, headers: { 'content-type': 'application/x-ndjson' }, text: '{"a":1}\n' });
    expect(result.body).toBe('{"a":1}\n');
    expect(result.headers?.['content-type']).toBe('application/x-ndjson');
  });
});
