/**
 * The `RunProbe` task: one HTTP health probe. The step passes when the
 * answer has the expected status within the step's timeout; otherwise
 * `ProbeFailedError`, which the workflow retries and then records as a
 * failed step. A JSON answer may name the recovery point reached
 * (`recoveryPointField`), from which the test's data loss is measured.
 * @module
 */
import * as z from 'zod';
import { now } from '../../shared/clock.js';
import type { StepResult } from '../../shared/domain/continuity-plan.js';
import { TestIdentity } from './workflow-task.js';

/** The probe answered wrongly, late or not at all. */
export class ProbeFailedError extends Error {
  override readonly name = 'ProbeFailedError';
}

const ProbeInput = TestIdentity.extend({
  step: z.object({
    id: z.string(),
    kind: z.literal('probe'),
    url: z.url(),
    expectedStatus: z.number().int(),
    timeoutSeconds: z.number().positive(),
    recoveryPointField: z.string().nullable().optional(),
  }),
});

export async function handler(event: unknown): Promise<StepResult> {
  const { step } = ProbeInput.parse(event);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(step.url, { signal: AbortSignal.timeout(step.timeoutSeconds * 1000), redirect: 'manual' });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${step.timeoutSeconds} s` : `unreachable (${(error as Error).message})`;
    throw new ProbeFailedError(`${step.url}: ${reason}`);
  }
  const elapsed = Math.round(performance.now() - started);
  const body = await response.text();
  if (response.status !== step.expectedStatus) throw new ProbeFailedError(`${step.url}: HTTP ${response.status}, expected ${step.expectedStatus}`);
  return {
    stepId: step.id,
    outcome: 'passed',
    detail: `HTTP ${response.status} in ${elapsed} ms`,
    confirmedBy: null,
    recoveryPoint: step.recoveryPointField ? recoveryPointOf(body, step.recoveryPointField) : null,
    finishedAt: now().toISOString(),
  };
}

function recoveryPointOf(body: string, field: string): string | null {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? new Date(value).toISOString() : null;
  } catch {
    return null;
  }
}
