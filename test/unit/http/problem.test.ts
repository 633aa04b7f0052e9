import { describe, expect, it } from 'vitest';
import { type DomainError, type ErrorKind, IllegalTransitionError, NotFoundError, ValidationError } from '#shared/domain/errors.js';
import { PROBLEM_KINDS, problemResponse, statusOf } from '#shared/http/problem.js';

describe('PROBLEM_KINDS: the one error kind → HTTP table', () => {
  it.each<{ kind: ErrorKind; status: number; type: string }>([
    { kind: 'invalid', status: 400, type: 'validation-error' },
    { kind: 'unauthorized', status: 401, type: 'unauthorized' },
    { kind: 'forbidden', status: 403, type: 'forbidden' },
    { kind: 'not-found', status: 404, type: 'not-found' },
    { kind: 'conflict', status: 409, type: 'conflict' },
    { kind: 'illegal-transition', status: 409, type: 'illegal-transition' },
    { kind: 'precondition-failed', status: 412, type: 'precondition-failed' },
    { kind: 'too-large', status: 413, type: 'content-too-large' },
    { kind: 'unsupported-media-type', status: 415, type: 'unsupported-media-type' },
    { kind: 'unprocessable', status: 422, type: 'unprocessable' },
    { kind: 'too-many-requests', status: 429, type: 'too-many-requests' },
    { kind: 'unavailable', status: 503, type: 'service-unavailable' },
    { kind: 'tenant-suspended', status: 403, type: 'tenant-suspended' },
    { kind: 'last-tenant-admin', status: 409, type: 'last-tenant-admin' },
  ])('$kind answers $status urn:itsm:problem:$type', ({ kind, status, type }) => {
    expect(PROBLEM_KINDS[kind]).toMatchObject({ status, type });
    expect(PROBLEM_KINDS[kind].title).not.toBe('');
  });

  it('covers every kind exactly once (no kind left unmapped)', () => {
    expect(Object.keys(PROBLEM_KINDS)).toHaveLength(14);
  });

  it.each<{ error: DomainError; status: number }>([
    { error: new NotFoundError('x'), status: 404 },
    { error: new ValidationError('x'), status: 400 },
    { error: new IllegalTransitionError('close', 'new', []), status: 409 },
  ])('statusOf($error.name) is $status, the same as the problem response', ({ error, status }) => {
    expect(statusOf(error)).toBe(status);
    expect(problemResponse(error).statusCode).toBe(status);
  });

  it('anything that is not a domain error is a 500 without internals', () => {
    const response = problemResponse(new Error('secret stack detail'));

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
  });
});
