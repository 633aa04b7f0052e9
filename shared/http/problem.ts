/**
 * RFC 9457 problem documents: the only error shape the API answers with.
 * @module
 */
import { DomainError, TooManyRequestsError } from '#shared/domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Problem types are URNs: stable identifiers that promise no web page. */
export function problemType(type: string): string {
  return `urn:itsm:problem:${type}`;
}

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The problem response for `error`; anything that is not a domain error is a 500 with no internals. */
export function problemResponse(error: unknown, instance?: string): ProblemResponse {
  const document: ProblemDocument =
    error instanceof DomainError
      ? // Extensions first: they may add members, never replace the standard ones.
        { ...error.extensions, type: problemType(error.type), title: error.title, status: error.status, detail: error.message }
      : { type: problemType('internal-error'), title: 'Internal error', status: 500, detail: 'An unexpected error occurred; it has been logged.' };
  if (instance) document.instance = instance;
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' };
  if (error instanceof TooManyRequestsError) headers['retry-after'] = String(error.retryAfterSeconds);
  return { statusCode: document.status, headers, body: JSON.stringify(document) };
}
