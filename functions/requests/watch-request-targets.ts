/**
 * Watches a request's response and fulfilment targets the way an
 * incident's SLA is watched between runs: ONE one-off EventBridge Scheduler
 * schedule (the local scheduler under `npm start`) at the next unmet due
 * time, armed again whenever a due time can start or move:
 *
 * - as the target of the bus rule `WatchRequestTargets` (submitted: the
 *   response target; approved: the fulfilment clock starts; resumed: due
 *   times moved on by the paused time; reopened: a new fulfilment due
 *   time): arms the schedule at `nextTargetDue`, or checks at once when it
 *   is past;
 * - invoked by that schedule (`{ watch: … }`): records each target missed by
 *   now (RequestResponseTargetBreached, RequestFulfilmentTargetBreached; the
 *   domain rule does nothing when it was met, paused or recorded
 *   meanwhile), then arms the next one.
 *
 * The schedule's name carries its instant, so a redelivered event arms
 * nothing twice. Bounded: a request has two targets, so at most two checks
 * and one schedule per invocation.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getRequest, saveRequest } from '#shared/data/requests/request-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { nextTargetDue, recordTargetBreaches, type ServiceRequest } from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import { requiredEnv } from '#shared/env.js';
import { functionArnVariable } from '#shared/events/rules.js';
import { ensureScheduledOnce } from '#shared/events/scheduler.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';

const HANDLER = 'requests/watch-request-targets';
/** The watch acts as this user in audit entries and events. */
export const TARGET_WATCH_USER = 'request-target-watch';

const busEvent = z.object({ detail: z.object({ tenantId: z.string().min(1), requestId: z.string().min(1) }) });
const scheduledRun = z.object({ watch: z.object({ tenantId: z.string().min(1), requestId: z.string().min(1) }) });

/** ≤ 64 characters, unique per request and instant. */
export function targetScheduleName(requestId: string, dueAt: string): string {
  return `rq-sla-${requestId}-${Math.floor(Date.parse(dueAt) / 1000)}`;
}

async function check(tenantId: string, requestId: string): Promise<ServiceRequest> {
  const actor: Actor = { tenantId, userId: TARGET_WATCH_USER, roles: [] };
  const { mutation, record } = await mutateRecord({
    load: async () => {
      const current = await getRequest(tenantId, requestId);
      if (!current) throw new NotFoundError(`Request ${requestId} was not found.`);
      return current;
    },
    apply: (current) => recordTargetBreaches(current, { actor, now: now().toISOString() }),
    save: (result, current, named) => saveRequest(result, actor, current.version, named),
    retry: true,
  });
  return mutation?.request ?? record;
}

async function handle(event: unknown): Promise<{ armed: string | null; breaches: ServiceRequest['breaches'] | null }> {
  const run = scheduledRun.safeParse(event);
  const { tenantId, requestId } = run.success ? run.data.watch : busEvent.parse(event).detail;
  let request = run.success ? await check(tenantId, requestId) : await getRequest(tenantId, requestId);
  if (!request) return { armed: null, breaches: null };
  // Two targets: after at most two checks the next due time lies ahead, or none is left.
  for (let round = 0; round < 2; round += 1) {
    const next = nextTargetDue(request);
    if (!next) break;
    if (Date.parse(next.dueAt) > now().getTime()) {
      const name = targetScheduleName(requestId, next.dueAt);
      const payload = { watch: { tenantId, requestId } };
      await ensureScheduledOnce({ name, when: new Date(next.dueAt), targetArn: requiredEnv(functionArnVariable(HANDLER)), payload });
      return { armed: name, breaches: request.breaches ?? null };
    }
    request = await check(tenantId, requestId);
  }
  return { armed: null, breaches: request.breaches ?? null };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler(HANDLER, handle);
