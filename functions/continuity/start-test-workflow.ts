/**
 * Target of the bus rule `StartContinuityTest`: starts the continuity-test
 * workflow for a requested test (`ContinuityTestRequested`). The execution
 * is named after the test, so a redelivered event starts nothing.
 * @module
 */
import * as z from 'zod';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { startExecution, stateMachineArn } from '#shared/workflows/step-functions.js';

const requestedEvent = z.object({ detail: z.object({ tenantId: z.string().min(1), testId: z.string().min(1) }) });

async function handle(event: unknown): Promise<{ executionArn: string; started: boolean }> {
  const { detail } = requestedEvent.parse(event);
  const input = { tenantId: detail.tenantId, testId: detail.testId };
  const started = await startExecution({ stateMachineArn: stateMachineArn('continuity-test'), name: detail.testId, input });
  logger.info(started.started ? 'Continuity test started' : 'Continuity test already started', { ...input, ...started });
  return started;
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('continuity/start-test-workflow', handle);
