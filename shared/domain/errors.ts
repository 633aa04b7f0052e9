/**
 * Domain errors. Each carries a kind (what went wrong, in the domain's
 * words), never an HTTP status: the HTTP layer maps kinds to statuses and
 * problem types in one table (`#shared/http/problem.ts`), and workflow tasks
 * simply throw them (Step Functions `Catch` clauses match on the class name,
 * so the names stay as they are).
 * @module
 */

/** What kind of failure a domain error is; the HTTP layer maps each to one status. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'illegal-transition'
  | 'precondition-failed'
  | 'too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'too-many-requests'
  | 'unavailable'
  | 'tenant-suspended'
  | 'last-tenant-admin';

/** One field-level problem, as listed in a validation problem's `errors`. */
export interface FieldError {
  /** JSON pointer-ish path, e.g. `body.impact` or `query.limit`. */
  readonly field: string;
  readonly message: string;
}

/** Base class: a failure the caller can act on (never a 500). */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
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
  readonly kind = 'invalid' as const;
  constructor(
    detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail, { errors });
  }
}

/** The caller is not authenticated (no or bad token). */
export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized' as const;
}

/** The caller is authenticated but their role does not allow the operation. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}

/** The record does not exist in the caller's tenant (or is not theirs to see). */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}

/** The operation conflicts with the record's current state. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}

/** A status transition that the life cycle does not allow. */
export class IllegalTransitionError extends DomainError {
  readonly kind = 'illegal-transition' as const;
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
  readonly kind = 'precondition-failed' as const;
}

/** The request is well-formed but breaks a business rule (or reuses an idempotency key). */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable' as const;
}

/** Too many requests from this caller: a rate it is held to (the API stage's limits, a tenant quota). */
export class TooManyRequestsError extends DomainError {
  readonly kind = 'too-many-requests' as const;
  constructor(
    detail: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(detail);
  }
}

/**
 * A service the operation needs (the data store above all) cannot serve it
 * now: unreachable, timed out, failing, or throttling after the SDK's own
 * retries. Nothing was decided about the request, so the same request may
 * simply be sent again after `retryAfterSeconds`. Workflow tasks throw it
 * like any error, so Step Functions' Retry (matched on the class name) and
 * the event sources' retries take it.
 */
export class ServiceUnavailableError extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(
    detail: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(detail);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * The caller's tenant is suspended (or being deleted): every call of its
 * users is refused, its data kept. Not a role problem, so a type of its own.
 */
export class TenantSuspendedError extends DomainError {
  readonly kind = 'tenant-suspended' as const;
  constructor(tenantId: string, status: string) {
    super(`Tenant ${tenantId} is ${status}: its users cannot use the API until the platform operator resumes it.`, { tenantId, tenantStatus: status });
  }
}

/** The change would leave the tenant without an active tenant admin. */
export class LastTenantAdminError extends DomainError {
  readonly kind = 'last-tenant-admin' as const;
  constructor(userId: string) {
    super(`User ${userId} is the tenant's last active tenant admin: make another user tenant admin first.`, { userId });
  }
}
