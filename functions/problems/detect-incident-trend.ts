/**
 * Target of the bus rule `DetectIncidentTrends`: each new incident runs
 * trend detection (`shared/services/problems/trend-detection.ts`), which
 * may propose a problem (`ProblemProposed`) or link the incident to the
 * problem its cluster already proposed. Throws on failure so EventBridge
 * retries and then dead-letters the event.
 * @module
 */
import * as z from 'zod';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { detectTrend, type TrendOutcome } from '#shared/services/problems/trend-detection.js';

/** The parts of an `IncidentCreated` event this function reads (source `itsm.incidents`, owned by the incident practice). */
const IncidentCreatedEvent = z.object({ detail: z.object({ tenantId: z.string().min(1), incidentId: z.string().min(1) }) });

async function handle(event: unknown): Promise<TrendOutcome> {
  const { detail } = IncidentCreatedEvent.parse(event);
  return detectTrend(detail.tenantId, detail.incidentId);
}

export const handler = backgroundHandler('problems/detect-incident-trend', handle);
