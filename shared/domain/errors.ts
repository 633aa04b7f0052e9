/**
 * Domain errors. Each carries the HTTP status it maps to, so the HTTP layer
 * turns any of them into an RFC 9457 problem without knowing the domain, and
 * workflow tasks can simply throw them.
 * @module
 */

/** One field-level problem, as listed in a validation problem's `errors`. */
export interface FieldError {
  /** JSON pointer-ish path, e.g. `body.impact` or `query.limit`. */
  readonly field: string;
  readonly message: string;
}

/** Base class: a failure the caller can act on (never a 500). */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  /** Extra members copied into the problem document. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(detail);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

/** The request is malformed: unparsable JSON, unknown fields, wrong types. */
export class ValidationError extends DomainError {
  readonly status = 400;
  readonly type = 'validation-error';
  readonly title = 'The request is not valid';
  constructor(
    detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail, { errors });
  }
}

/** The caller is not authenticated (no or bad token). */
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly type = 'unauthorized';
  readonly title = 'Authentication required';
}

/** The caller is authenticated but their role does not allow the operation. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'Not allowed for your role';
}

/** The record does not exist in the caller's tenant (or is not theirs to see). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

/** The operation conflicts with the record's current state. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly type = 'conflict';
  readonly title = 'Conflict with the current state';
}

/** A status transition that the life cycle does not allow. */
export class IllegalTransitionError extends DomainError {
  readonly status = 409;
  readonly type = 'illegal-transition';
  readonly title = 'Transition not allowed';
  constructor(
    action: string,
    from: string,
    readonly allowedActions: readonly string[],
  ) {
    super(`Cannot ${action} a record in status '${from}'.`, { action, currentStatus: from, allowedActions });
  }
}

/** `If-Match` named a version that is no longer current. */
export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly type = 'precondition-failed';
  readonly title = 'The record has changed';
}

/** The request is well-formed but breaks a business rule (or reuses an idempotency key). */
export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly type = 'unprocessable';
  readonly title = 'The request cannot be processed';
}

/** Too many requests: throttled by the API or by DynamoDB. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  readonly title = 'Too many requests';
  constructor(
    detail: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(detail);
  }
}
