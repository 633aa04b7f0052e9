/**
 * The timers of a request after fulfilment, as one-off schedules
 * (EventBridge Scheduler `at()`; the local scheduler locally):
 *
 * - as the target of the bus rule `RequestFollowUps`: `RequestFulfilled`
 *   schedules the auto-close at `autoCloseAt`; `RequestClosed` schedules
 *   the callback (回访) at its due time;
 * - invoked by such a schedule (`{ scheduled: … }`): closes the request if
 *   nobody confirmed it meanwhile, or puts the due callback to the service
 *   desk (`RequestCallbackDue`). A schedule the request moved past (confirmed,
 *   reopened, answered) finds nothing to do: the domain rules return null.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getRequest, saveRequest } from '#shared/data/requests/request-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { announceCallbackDue, autoCloseRequest } from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import { requiredEnv } from '#shared/env.js';
import { functionArnVariable } from '#shared/events/rules.js';
import { ensureScheduledOnce } from '#shared/events/scheduler.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';

const HANDLER = 'requests/schedule-request-follow-ups';
/** The follow-ups act as this user in audit entries and events. */
export const FOLLOW_UP_USER = 'request-follow-up';

const busEvent = z.object({
  'detail-type': z.enum(['RequestFulfilled', 'RequestClosed']),
  detail: z.object({ tenantId: z.string().min(1), requestId: z.string().min(1) }),
});
const scheduledRun = z.object({
  scheduled: z.object({ kind: z.enum(['auto-close', 'callback-due']), tenantId: z.string().min(1), requestId: z.string().min(1) }),
});
type Kind = z.infer<typeof scheduledRun>['scheduled']['kind'];

/** ≤ 64 characters, unique per request, timer and due time: a redelivered event cannot schedule twice. */
export function followUpScheduleName(kind: Kind, requestId: string, at: string): string {
  return `rq-${kind === 'auto-close' ? 'ac' : 'cb'}-${requestId}-${at.replace(/[^0-9]/g, '').slice(0, 14)}`;
}

function followUpActor(tenantId: string): Actor {
  return { tenantId, userId: FOLLOW_UP_USER, roles: ['agent'] };
}

async function handle(event: unknown): Promise<{ action: 'scheduled' | 'closed' | 'announced' | 'nothing' }> {
  const run = scheduledRun.safeParse(event);
  if (run.success) return runScheduled(run.data.scheduled);
  const { detail, 'detail-type': type } = busEvent.parse(event);
  const request = await getRequest(detail.tenantId, detail.requestId);
  const kind: Kind = type === 'RequestFulfilled' ? 'auto-close' : 'callback-due';
  const at = kind === 'auto-close' ? request?.autoCloseAt : request?.callback?.dueAt;
  if (!request || !at) return { action: 'nothing' };
  await ensureScheduledOnce({
    name: followUpScheduleName(kind, request.id, at),
    when: new Date(at),
    targetArn: requiredEnv(functionArnVariable(HANDLER)),
    payload: { scheduled: { kind, tenantId: request.tenantId, requestId: request.id } },
  });
  return { action: 'scheduled' };
}

async function runScheduled(run: { kind: Kind; tenantId: string; requestId: string }) {
  const actor = followUpActor(run.tenantId);
  const rule = run.kind === 'auto-close' ? autoCloseRequest : announceCallbackDue;
  const { mutation } = await mutateRecord({
    load: async () => {
      const current = await getRequest(run.tenantId, run.requestId);
      if (!current) throw new NotFoundError(`Request ${run.requestId} was not found.`);
      return current;
    },
    apply: (current) => rule(current, { actor, now: now().toISOString() }),
    save: (result, current, named) => saveRequest(result, actor, current.version, named),
    retry: true,
  });
  if (!mutation) return { action: 'nothing' as const };
  return { action: run.kind === 'auto-close' ? ('closed' as const) : ('announced' as const) };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler(HANDLER, handle);
