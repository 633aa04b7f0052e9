/**
 * Priority from impact × urgency (ITIL; seed 001 §2). Each tenant may edit
 * its matrix; the default is ServiceNow's 3×3 → P1..P5.
 * @module
 */
import { UnprocessableError } from '#shared/domain/errors.js';

/** 1 = high, 3 = low. */
export type Level = 1 | 2 | 3;
/** 1 = critical … 5 = planning. */
export type Priority = 1 | 2 | 3 | 4 | 5;

/** `cells[impact - 1][urgency - 1]` is the priority. */
export type PriorityMatrix = readonly (readonly Priority[])[];

export const PRIORITY_LABELS: Record<Priority, string> = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
};

export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

/** The priority for an impact and urgency under `matrix`. */
export function priorityOf(matrix: PriorityMatrix, impact: Level, urgency: Level): Priority {
  const priority = matrix[impact - 1]?.[urgency - 1];
  if (priority === undefined) throw new UnprocessableError(`The priority matrix has no cell for impact ${impact}, urgency ${urgency}.`);
  return priority;
}

/**
 * Problems with a proposed matrix, empty when it is acceptable. Besides the
 * shape, a matrix must be monotonic: raising impact or urgency may never
 * lower the priority, or a worse outage would be handled later.
 */
export function matrixProblems(matrix: readonly (readonly number[])[]): string[] {
  const problems: string[] = [];
  if (matrix.length !== 3 || matrix.some((row) => row.length !== 3)) return ['The matrix must have 3 rows (impact) of 3 cells (urgency).'];
  for (let i = 0; i < 3; i++) {
    for (let u = 0; u < 3; u++) {
      const cell = matrix[i]?.[u] as number;
      if (!Number.isInteger(cell) || cell < 1 || cell > 5) problems.push(`Cell impact ${i + 1}, urgency ${u + 1} must be an integer 1..5.`);
      const lower = matrix[i + 1]?.[u];
      if (lower !== undefined && lower < cell) problems.push(`Impact ${i + 2} cannot outrank impact ${i + 1} at urgency ${u + 1}.`);
      const right = matrix[i]?.[u + 1];
      if (right !== undefined && right < cell) problems.push(`Urgency ${u + 2} cannot outrank urgency ${u + 1} at impact ${i + 1}.`);
    }
  }
  return problems;
}

/** Throws a 422 listing every problem when `matrix` is not acceptable. */
export function assertValidMatrix(matrix: readonly (readonly number[])[]): asserts matrix is PriorityMatrix {
  const problems = matrixProblems(matrix);
  if (problems.length > 0) throw new UnprocessableError('The priority matrix is not acceptable.', { problems });
}
