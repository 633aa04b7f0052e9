/**
 * The one way to change an existing record: read it, check the version the
 * caller named, apply the domain rule, commit (record + audit + outbox, via
 * `commitMutation` inside `save`), and retry a lost race on a fresh read
 * under the one policy ({@link CONFLICT_RETRY}).
 * @module
 */
import { PreconditionFailedError } from '#shared/domain/errors.js';
import { retryOnConflict } from './retry.js';

/** 412 when the caller named a version that is not the current one. */
export function checkExpectedVersion(expectedVersion: number | undefined, current: number): void {
  if (expectedVersion !== undefined && expectedVersion !== current) {
    throw new PreconditionFailedError(`If-Match names version ${expectedVersion}, but the current version is ${current}.`);
  }
}

/** What {@link mutateRecord} does, step by step. */
export interface MutateSteps<R extends { readonly version: number }, M> {
  /** Reads the record (consistently); throws NotFoundError when it is absent or not the caller's to see. */
  readonly load: () => Promise<R>;
  /** The version the caller named (`If-Match`), if any: a different current version is a 412. */
  readonly expectedVersion?: number | undefined;
  /** The domain rule: the change to write, or `null` when there is nothing to write (the rule's type says whether it can be). */
  readonly apply: (record: R) => M | Promise<M>;
  /**
   * Commits `mutation` conditionally on `record.version`. `named` says the
   * caller named that version: a stale write is then theirs to resolve (412),
   * otherwise it is our own lost race (409, retried).
   */
  readonly save: (mutation: NonNullable<M>, record: R, named: boolean) => Promise<unknown>;
  /**
   * Retry a lost race (ConflictError) on a fresh read. Never with a named
   * version: the caller asked for exactly that one, so they get 412 instead.
   * Off by default: where two writers racing is not expected, the loser
   * hears 409 and decides for itself.
   * @default false
   */
  readonly retry?: boolean;
}

/** The record read and the mutation written (`null`: the rule changed nothing, nothing was written). */
export interface MutateOutcome<R, M> {
  readonly record: R;
  readonly mutation: M;
}

/** Read → check version → apply → save, retried on a lost race; see {@link MutateSteps}. */
export async function mutateRecord<R extends { readonly version: number }, M>(steps: MutateSteps<R, M>): Promise<MutateOutcome<R, M>> {
  const named = steps.expectedVersion !== undefined;
  const once = async (): Promise<MutateOutcome<R, M>> => {
    const record = await steps.load();
    checkExpectedVersion(steps.expectedVersion, record.version);
    const mutation = await steps.apply(record);
    if (mutation !== null && mutation !== undefined) await steps.save(mutation, record, named);
    return { record, mutation };
  };
  return named || steps.retry !== true ? once() : retryOnConflict(once);
}
