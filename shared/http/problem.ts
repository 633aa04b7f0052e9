/**
 * RFC 9457 problem documents: the only error shape the API answers with.
 * @module
 */
import { DomainError, type ErrorKind } from '#shared/domain/errors.js';

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

/** How one kind of domain error is answered: status, problem type (URN suffix) and title. */
export interface ProblemKind {
  readonly status: number;
  readonly type: string;
  readonly title: string;
}

/**
 * The one table from error kind to HTTP answer. Domain code says what went
 * wrong; only this table knows what that means in HTTP.
 */
export const PROBLEM_KINDS: Readonly<Record<ErrorKind, ProblemKind>> = {
  invalid: { status: 400, type: 'validation-error', title: 'The request is not valid' },
  unauthorized: { status: 401, type: 'unauthorized', title: 'Authentication required' },
  forbidden: { status: 403, type: 'forbidden', title: 'Not allowed for your role' },
  'not-found': { status: 404, type: 'not-found', title: 'Not found' },
  conflict: { status: 409, type: 'conflict', title: 'Conflict with the current state' },
  'illegal-transition': { status: 409, type: 'illegal-transition', title: 'Transition not allowed' },
  'precondition-failed': { status: 412, type: 'precondition-failed', title: 'The record has changed' },
  'too-large': { status: 413, type: 'content-too-large', title: 'Request body too large' },
  'unsupported-media-type': { status: 415, type: 'unsupported-media-type', title: 'Unsupported media type' },
  unprocessable: { status: 422, type: 'unprocessable', title: 'The request cannot be processed' },
  'too-many-requests': { status: 429, type: 'too-many-requests', title: 'Too many requests' },
  unavailable: { status: 503, type: 'service-unavailable', title: 'Service temporarily unavailable' },
  'tenant-suspended': { status: 403, type: 'tenant-suspended', title: 'The tenant is suspended' },
  'last-tenant-admin': { status: 409, type: 'last-tenant-admin', title: 'The tenant needs at least one tenant admin' },
};

/** The HTTP status a domain error answers with. */
export function statusOf(error: DomainError): number {
  return PROBLEM_KINDS[error.kind].status;
}

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The problem response for `error`; anything that is not a domain error is a 500 with no internals. */
export function problemResponse(error: unknown, instance?: string): ProblemResponse {
  const kind = error instanceof DomainError ? PROBLEM_KINDS[error.kind] : undefined;
  const document: ProblemDocument =
    error instanceof DomainError && kind
      ? // Extensions first: they may add members, never replace the standard ones.
        { ...error.extensions, type: problemType(kind.type), title: kind.title, status: kind.status, detail: error.message }
      : { type: problemType('internal-error'), title: 'Internal error', status: 500, detail: 'An unexpected error occurred; it has been logged.' };
  if (instance) document.instance = instance;
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' };
  const retryAfter = retryAfterOf(error);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  return { statusCode: document.status, headers, body: JSON.stringify(document) };
}

/** Seconds after which the same request may succeed, for the errors that say so (429, 503). */
function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof DomainError) || !('retryAfterSeconds' in error)) return undefined;
  const seconds = error.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
}
