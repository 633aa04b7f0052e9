/**
 * The `RunProbe` task: one automated step. An HTTP health probe passes
 * when the answer has the expected status within the step's timeout; a
 * recovery function (`itsm-recovery-…`) passes when its JSON answer holds
 * every member of the step's `expect`, within its timeout. Otherwise
 * `ProbeFailedError`, which the workflow retries and then records as a
 * failed step. Probes go through the outbound guard (public https
 * addresses only, checked at each call, no redirects followed). The answer
 * may name the recovery point reached
 * (`recoveryPointField`), from which the test's data loss is measured.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import type { StepResult } from '#shared/domain/continuity/continuity-plan.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { TestIdentity } from '#shared/services/continuity/workflow-task.js';
import { guardedRequest, OutboundRefusedError, type OutboundResponse, OutboundTimeoutError } from '#shared/services/outbound/outbound-guard.js';
import { invokeRecoveryFunction } from '#shared/workflows/recovery-function.js';

/** The probe answered wrongly, late or not at all. */
export class ProbeFailedError extends Error {
  override readonly name = 'ProbeFailedError';
}

/** A health answer, or one naming a recovery point, is small: the rest is not read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

const ProbeStep = z.object({
  id: z.string(),
  kind: z.literal('probe'),
  url: z.url(),
  expectedStatus: z.number().int(),
  timeoutSeconds: z.number().positive(),
  recoveryPointField: z.string().nullable().optional(),
});

const FunctionStep = z.object({
  id: z.string(),
  kind: z.literal('function'),
  functionName: z.string(),
  payload: z.record(z.string(), z.unknown()),
  expect: z.record(z.string(), z.unknown()),
  timeoutSeconds: z.number().positive(),
  recoveryPointField: z.string().nullable().optional(),
});

const AutomatedStepInput = TestIdentity.extend({ step: z.discriminatedUnion('kind', [ProbeStep, FunctionStep]) });

async function handle(event: unknown): Promise<StepResult> {
  const input = AutomatedStepInput.parse(event);
  const { step } = input;
  if (step.kind === 'function') return runFunctionStep(input.tenantId, input.testId, step);
  const started = performance.now();
  let response: OutboundResponse;
  try {
    // The probe URL is checked again here, not only when the plan was saved: a name may resolve elsewhere since.
    response = await guardedRequest(step.url, { method: 'GET', timeoutMs: step.timeoutSeconds * 1000, maxResponseBytes: MAX_ANSWER_BYTES });
  } catch (error) {
    const reason =
      error instanceof OutboundTimeoutError
        ? `no answer within ${step.timeoutSeconds} s`
        : error instanceof OutboundRefusedError
          ? `refused (${error.message})`
          : `unreachable (${(error as Error).message})`;
    throw new ProbeFailedError(`${step.url}: ${reason}`);
  }
  const elapsed = Math.round(performance.now() - started);
  const body = response.body.toString('utf8');
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
    return recoveryPointIn(JSON.parse(body), field);
  } catch {
    return null;
  }
}

function recoveryPointIn(answer: unknown, field: string): string | null {
  const value = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? new Date(value).toISOString() : null;
}

/** The members of `expected` the answer does not hold with the same value (compared as JSON). */
function unmetExpectations(answer: unknown, expected: Readonly<Record<string, unknown>>): string[] {
  const actual = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  return Object.entries(expected)
    .filter(([member, value]) => JSON.stringify(actual[member]) !== JSON.stringify(value))
    .map(([member, value]) => `${member}: ${JSON.stringify(actual[member]) ?? 'absent'}, expected ${JSON.stringify(value)}`);
}

async function runFunctionStep(tenantId: string, testId: string, step: z.output<typeof FunctionStep>): Promise<StepResult> {
  const started = performance.now();
  // The runbook learns which test and step it serves, so its own logs and effects can be traced back.
  const invocation = await invokeRecoveryFunction(step.functionName, { ...step.payload, tenantId, testId, stepId: step.id }, step.timeoutSeconds);
  const elapsed = Math.round(performance.now() - started);
  if (!invocation.ok) throw new ProbeFailedError(`${step.functionName}: ${invocation.reason}`);
  const unmet = unmetExpectations(invocation.result, step.expect);
  if (unmet.length > 0) throw new ProbeFailedError(`${step.functionName}: ${unmet.join('; ')}`);
  return {
    stepId: step.id,
    outcome: 'passed',
    detail: `${step.functionName} answered as expected in ${elapsed} ms`,
    confirmedBy: null,
    recoveryPoint: step.recoveryPointField ? recoveryPointIn(invocation.result, step.recoveryPointField) : null,
    finishedAt: now().toISOString(),
  };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/run-probe', handle);
