/**
 * Schemas of the tenant settings API.
 * @module
 */
import * as z from 'zod';

const Cell = z.number().int().min(1).max(5);

export const PriorityMatrixBody = z
  .strictObject({
    matrix: z
      .array(z.array(Cell).length(3))
      .length(3)
      .meta({
        description: 'matrix[impact - 1][urgency - 1] = priority (1 = critical … 5 = planning)',
        example: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      }),
  })
  .meta({ id: 'PriorityMatrixUpdate' });

export const PriorityMatrixResource = z
  .object({
    matrix: z.array(z.array(Cell)),
    labels: z.record(z.string(), z.string()),
    version: z.number().int().meta({ description: '0 while the default applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'PriorityMatrix' });
