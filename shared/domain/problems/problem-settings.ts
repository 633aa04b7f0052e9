/**
 * A tenant's problem-management settings: when incident trends propose a
 * problem (how many incidents, within which window, how far down the CMDB
 * dependency graph a cluster reaches) and how long a fix is watched for
 * recurrence before the problem may close.
 * @module
 */
import * as z from 'zod';

export const ProblemSettings = z
  .strictObject({
    trendThreshold: z
      .number()
      .int()
      .min(2)
      .max(50)
      .default(5)
      .meta({ description: 'Incidents in the window on one CI (or under one shared dependency) that propose a problem' }),
    trendWindowHours: z.number().int().min(1).max(720).default(24),
    trendDependencyDepth: z
      .number()
      .int()
      .min(0)
      .max(3)
      .default(2)
      .meta({ description: 'How many levels of what an incident’s CI depends on (runs on, depends on …) form clusters; 0 = the CI alone' }),
    verificationDays: z.number().int().min(0).max(365).default(30).meta({ description: 'After a fix, days without recurrence before the problem may close' }),
  })
  .meta({ id: 'ProblemSettings' });
export type ProblemSettings = z.infer<typeof ProblemSettings>;

export function defaultProblemSettings(): ProblemSettings {
  return ProblemSettings.parse({});
}
