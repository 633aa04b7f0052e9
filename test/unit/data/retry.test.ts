import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '#shared/data/client.js';
import { checkExpectedVersion, mutateRecord } from '#shared/data/mutate.js';
import { CONFLICT_RETRY, retryOnConflict } from '#shared/data/retry.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '#shared/domain/errors.js';

const ddb = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME = 'itsm-test';
});

afterEach(() => {
  ddb.reset();
});

const conflict = () => new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }] });

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('CONFLICT_RETRY: the one policy', () => {
  it.each([1, 2, 3, 5])('waits longer after loss %i than not at all, and at most 30 ms per attempt', (attempt) => {
    const delay = CONFLICT_RETRY.delayMs(attempt);

    expect(delay).toBeGreaterThanOrEqual(10 * attempt);
    expect(delay).toBeLessThanOrEqual(30 * attempt);
  });
});

describe('retryOnConflict', () => {
  it.each([
    { name: 'wins at once', losses: 0, calls: 1, outcome: 'written' },
    { name: 'wins after two lost races', losses: 2, calls: 3, outcome: 'written' },
    { name: 'wins on the last attempt', losses: CONFLICT_RETRY.attempts - 1, calls: CONFLICT_RETRY.attempts, outcome: 'written' },
    { name: 'gives up after every attempt lost', losses: CONFLICT_RETRY.attempts, calls: CONFLICT_RETRY.attempts, outcome: 'TransactionCanceledException' },
  ])('$name: $calls TransactWrite calls, $outcome', async ({ losses, calls, outcome }) => {
    // Prepare
    const mock = ddb.on(TransactWriteCommand);
    for (let loss = 0; loss < losses; loss++) mock.rejectsOnce(conflict());
    mock.resolves({});
    const isConflict = (error: unknown) => error instanceof TransactionCanceledException;

    // Act
    const result = await retryOnConflict(() => db.send(new TransactWriteCommand({ TransactItems: [] })).then(() => 'written'), { retryable: isConflict }).catch(
      (error: Error) => error.name,
    );

    // Assess
    expect(result).toBe(outcome);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(calls);
  });

  it('by default retries a ConflictError and nothing else', async () => {
    let calls = 0;

    const thrown = await rejectionOf(
      retryOnConflict(async () => {
        calls += 1;
        if (calls === 1) throw new ConflictError('lost');
        throw new NotFoundError('gone');
      }),
    );

    expect(thrown).toBeInstanceOf(NotFoundError);
    expect(calls).toBe(2);
  });

  it('tells onRetry about each further attempt', async () => {
    const seen: number[] = [];

    await rejectionOf(retryOnConflict(() => Promise.reject(new ConflictError('lost')), { onRetry: (_error, attempt) => seen.push(attempt) }));

    expect(seen).toEqual(Array.from({ length: CONFLICT_RETRY.attempts - 1 }, (_, index) => index + 1));
  });
});

describe('checkExpectedVersion', () => {
  it.each([
    { name: 'no version named', expected: undefined, current: 4, throws: false },
    { name: 'the current version', expected: 4, current: 4, throws: false },
    { name: 'an older version', expected: 3, current: 4, throws: true },
    { name: 'a newer version', expected: 5, current: 4, throws: true },
  ])('$name → throws: $throws', ({ expected, current, throws }) => {
    const check = () => checkExpectedVersion(expected, current);

    if (throws) expect(check).toThrow(PreconditionFailedError);
    else expect(check).not.toThrow();
  });
});

describe('mutateRecord', () => {
  interface Thing {
    readonly id: string;
    readonly version: number;
  }

  /** A store whose first `losses` saves lose a race; reads see each write. */
  function store(losses: number) {
    let version = 1;
    let lost = 0;
    const saved: number[] = [];
    return {
      saved,
      load: async (): Promise<Thing> => {
        return { id: 't', version };
      },
      save: async (next: Thing, read: Thing, named: boolean) => {
        if (lost < losses) {
          lost += 1;
          version += 1;
          throw new ConflictError(named ? 'stale (named)' : 'stale');
        }
        saved.push(read.version);
        version = next.version;
      },
    };
  }

  it.each([
    { name: 'no race', losses: 0, retry: true, ifMatch: undefined, saved: [1], error: null },
    { name: 'a lost race, retried on a fresh read', losses: 2, retry: true, ifMatch: undefined, saved: [3], error: null },
    { name: 'a lost race without retry → 409', losses: 1, retry: false, ifMatch: undefined, saved: [], error: ConflictError },
    { name: 'a lost race with If-Match is not retried', losses: 1, retry: true, ifMatch: 1, saved: [], error: ConflictError },
    { name: 'a stale If-Match → 412 before any write', losses: 0, retry: true, ifMatch: 7, saved: [], error: PreconditionFailedError },
  ])('$name', async ({ losses, retry, ifMatch, saved, error }) => {
    // Prepare
    const things = store(losses);

    // Act
    const run = mutateRecord({
      load: things.load,
      expectedVersion: ifMatch,
      apply: (thing: Thing) => ({ ...thing, version: thing.version + 1 }),
      save: things.save,
      retry,
    });

    // Assess
    if (error) expect(await rejectionOf(run)).toBeInstanceOf(error);
    else expect((await run).mutation.version).toBe((saved[0] ?? 0) + 1);
    expect(things.saved).toEqual(saved);
  });

  it('writes nothing when the rule changes nothing', async () => {
    const things = store(0);

    const outcome = await mutateRecord({ load: things.load, apply: () => null, save: things.save });

    expect(outcome).toEqual({ record: { id: 't', version: 1 }, mutation: null });
    expect(things.saved).toEqual([]);
  });
});
