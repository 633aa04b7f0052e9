/**
 * The one retry policy for lost races: a conditional write that failed
 * because someone else wrote first. Each loss means the other side made
 * progress, so the next attempt (on a fresh read) sees it; a few attempts
 * cover ordinary contention, the rest is margin for a storm.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '#shared/domain/errors.js';

/** How often and how patiently a lost race is tried again. */
export const CONFLICT_RETRY = {
  /** Attempts in all, the first included. */
  attempts: 6,
  /**
   * Wait before attempt `attempt + 1`: grows with each loss, with jitter,
   * so a crowd of losers does not collide again in lockstep.
   */
  delayMs: (attempt: number): number => 10 * attempt + Math.random() * 20 * attempt,
} as const;

/** Options of {@link retryOnConflict}. */
export interface RetryOptions {
  /** Which failures are a lost race worth another attempt. @default any ConflictError */
  readonly retryable?: (error: unknown) => boolean;
  /** Told before each further attempt (to log it). */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Runs `work` until it succeeds, fails with something that is not a lost
 * race, or has used {@link CONFLICT_RETRY}'s attempts (then the last error
 * is thrown). `work` gets the attempt number, from 1.
 */
export async function retryOnConflict<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retryable = options.retryable ?? ((error: unknown) => error instanceof ConflictError);
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!retryable(error) || attempt >= CONFLICT_RETRY.attempts) throw error;
      options.onRetry?.(error, attempt);
      await sleep(CONFLICT_RETRY.delayMs(attempt));
    }
  }
}
