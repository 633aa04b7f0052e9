import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnprocessableError } from '#shared/domain/errors.js';
import {
  assertValidMatrix,
  DEFAULT_PRIORITY_MATRIX,
  type Level,
  matrixProblems,
  type Priority,
  type PriorityMatrix,
  priorityOf,
} from '#shared/domain/incidents/priority-matrix.js';
import { thrownBy } from '../../../support/thrown-by.js';

const LEVELS: readonly Level[] = [1, 2, 3];

/**
 * Monotonic, stated independently of the implementation's neighbour check:
 * whenever one cell is at least as high in impact and urgency as another
 * (smaller or equal numbers), its priority is at least as urgent.
 */
function isMonotonic(m: readonly (readonly number[])[]): boolean {
  for (let i1 = 0; i1 < 3; i1++) {
    for (let u1 = 0; u1 < 3; u1++) {
      for (let i2 = i1; i2 < 3; i2++) {
        for (let u2 = u1; u2 < 3; u2++) {
          if ((m[i2]?.[u2] as number) < (m[i1]?.[u1] as number)) return false;
        }
      }
    }
  }
  return true;
}

/** Random 3×3 matrices of 1..5, monotonic or not. */
const anyMatrix = fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 });

/**
 * Monotonic matrices built constructively: every cell is its upper and left
 * neighbours' maximum plus a non-negative step, capped at 5.
 */
const monotonicMatrix = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 9, maxLength: 9 }))
  .map(([start, steps]) => {
    const m: number[][] = [[], [], []];
    for (let i = 0; i < 3; i++) {
      for (let u = 0; u < 3; u++) {
        const up = i > 0 ? (m[i - 1]?.[u] as number) : start;
        const left = u > 0 ? (m[i]?.[u - 1] as number) : start;
        (m[i] as number[])[u] = Math.min(5, Math.max(up, left) + (i === 0 && u === 0 ? 0 : (steps[i * 3 + u] as number)));
      }
    }
    return m as Priority[][];
  });

describe('DEFAULT_PRIORITY_MATRIX', () => {
  // ServiceNow's out-of-the-box impact × urgency → priority lookup.
  it.each([
    { impact: 1, urgency: 1, priority: 1 },
    { impact: 1, urgency: 2, priority: 2 },
    { impact: 1, urgency: 3, priority: 3 },
    { impact: 2, urgency: 1, priority: 2 },
    { impact: 2, urgency: 2, priority: 3 },
    { impact: 2, urgency: 3, priority: 4 },
    { impact: 3, urgency: 1, priority: 3 },
    { impact: 3, urgency: 2, priority: 4 },
    { impact: 3, urgency: 3, priority: 5 },
  ] as const)('impact $impact × urgency $urgency is P$priority', ({ impact, urgency, priority }) => {
    expect(priorityOf(DEFAULT_PRIORITY_MATRIX, impact, urgency)).toBe(priority);
  });

  it('is itself acceptable', () => {
    expect(matrixProblems(DEFAULT_PRIORITY_MATRIX)).toEqual([]);
    expect(() => assertValidMatrix(DEFAULT_PRIORITY_MATRIX)).not.toThrow();
  });
});

describe('priorityOf', () => {
  it('throws a 422 when the matrix has no cell for the impact and urgency', () => {
    const tooSmall = [
      [1, 2],
      [2, 3],
    ] as unknown as PriorityMatrix;

    const error = thrownBy(() => priorityOf(tooSmall, 3, 3));

    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).kind).toBe('unprocessable');
  });
});

describe('matrixProblems and assertValidMatrix', () => {
  it.each([
    { name: 'no rows', matrix: [] },
    {
      name: 'two rows',
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
      ],
    },
    {
      name: 'four rows',
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 5],
        [3, 4, 5],
      ],
    },
    {
      name: 'a row of two cells',
      matrix: [
        [1, 2, 3],
        [2, 3],
        [3, 4, 5],
      ],
    },
    {
      name: 'a row of four cells',
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 5, 5],
      ],
    },
    { name: 'empty rows', matrix: [[], [], []] },
  ])('rejects the wrong shape: $name', ({ matrix }) => {
    const problems = matrixProblems(matrix);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/3 rows/);
    expect(() => assertValidMatrix(matrix)).toThrow(UnprocessableError);
  });

  it.each([
    { name: 'zero', impact: 1, urgency: 1, value: 0 },
    { name: 'negative', impact: 1, urgency: 1, value: -1 },
    { name: 'six', impact: 3, urgency: 3, value: 6 },
    { name: 'a fraction', impact: 2, urgency: 2, value: 3.5 },
    { name: 'NaN', impact: 2, urgency: 2, value: Number.NaN },
    { name: 'Infinity', impact: 3, urgency: 3, value: Number.POSITIVE_INFINITY },
  ])('rejects a cell that is $name', ({ impact, urgency, value }) => {
    // Prepare: the default matrix with one cell replaced; the values chosen keep it monotonic.
    const matrix = DEFAULT_PRIORITY_MATRIX.map((row) => [...row] as number[]);
    (matrix[impact - 1] as number[])[urgency - 1] = value;

    // Act
    const problems = matrixProblems(matrix);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`impact ${impact}, urgency ${urgency}`);
  });

  it.each([
    {
      name: 'lower impact outranks higher impact',
      matrix: [
        [2, 2, 3],
        [1, 3, 4],
        [3, 4, 5],
      ],
    },
    {
      name: 'lower urgency outranks higher urgency',
      matrix: [
        [1, 3, 2],
        [2, 3, 4],
        [3, 4, 5],
      ],
    },
    {
      name: 'the whole matrix is upside down',
      matrix: [
        [5, 4, 3],
        [4, 3, 2],
        [3, 2, 1],
      ],
    },
    {
      name: 'the last row is more urgent than the middle one',
      matrix: [
        [1, 2, 3],
        [2, 3, 4],
        [1, 2, 3],
      ],
    },
  ])('rejects a non-monotonic matrix: $name', ({ matrix }) => {
    // Act
    const error = thrownBy(() => assertValidMatrix(matrix));

    // Assess
    expect(error).toBeInstanceOf(UnprocessableError);
    const unprocessable = error as UnprocessableError;
    expect(unprocessable.kind).toBe('unprocessable');
    expect(unprocessable.extensions.problems).toEqual(matrixProblems(matrix));
    expect((unprocessable.extensions.problems as string[]).length).toBeGreaterThan(0);
    expect(unprocessable.extensions.problems).toEqual(expect.arrayContaining([expect.stringMatching(/cannot outrank/)]));
  });

  it('lists every problem, not only the first', () => {
    const matrix = [
      [0, 2, 3],
      [2, 3, 4],
      [3, 4, 9],
    ];

    const error = thrownBy(() => assertValidMatrix(matrix)) as UnprocessableError;

    expect(error.extensions.problems).toHaveLength(2);
  });

  it('accepts a flat matrix where everything is the same priority', () => {
    expect(() =>
      assertValidMatrix([
        [3, 3, 3],
        [3, 3, 3],
        [3, 3, 3],
      ]),
    ).not.toThrow();
  });
});

describe('priority matrix properties', () => {
  it('for a valid matrix, raising impact or urgency never gives a less urgent priority', () => {
    fc.assert(
      fc.property(
        monotonicMatrix,
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...LEVELS),
        (matrix, impactA, urgencyA, impactB, urgencyB) => {
          assertValidMatrix(matrix);
          // Raised = at least as high (numerically at most) in both dimensions.
          const raisedImpact = Math.min(impactA, impactB) as Level;
          const raisedUrgency = Math.min(urgencyA, urgencyB) as Level;
          expect(priorityOf(matrix, raisedImpact, raisedUrgency)).toBeLessThanOrEqual(priorityOf(matrix, impactA, urgencyA));
        },
      ),
    );
  });

  it('assertValidMatrix accepts a random 3×3 matrix of 1..5 exactly when it is monotonic', () => {
    fc.assert(
      // Mixed with constructed monotonic matrices, which uniform random cells rarely are.
      fc.property(fc.oneof(anyMatrix, monotonicMatrix), (matrix) => {
        const monotonic = isMonotonic(matrix);
        if (monotonic) expect(() => assertValidMatrix(matrix)).not.toThrow();
        else expect(() => assertValidMatrix(matrix)).toThrow(UnprocessableError);
      }),
      { numRuns: 500 },
    );
  });

  it('the matrices generated for that property include both verdicts', () => {
    // Guards the property above against a generator that never yields one of the two cases.
    const samples = fc.sample(fc.oneof(anyMatrix, monotonicMatrix), { numRuns: 300, seed: 42 });
    expect(samples.some(isMonotonic)).toBe(true);
    expect(samples.some((m) => !isMonotonic(m))).toBe(true);
  });
});
