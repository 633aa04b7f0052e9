/**
 * The timers of a request, as one-off schedules (EventBridge Scheduler
 * `at()`; the local scheduler locally):
 *
 * - as the target of the bus rule `RequestFollowUps`: a request that starts
 *   waiting on an approval level (submitted, a level approved, a level
 *   escalated) schedules that level's timeout; `RequestFulfilled` schedules
 *   the auto-close at `autoCloseAt`; `RequestClosed` schedules the callback
 *   (回访) at its due time;
 * - invoked by such a schedule (`{ scheduled: … }`): escalates or expires
 *   the level still waiting, closes the request if nobody confirmed it
 *   meanwhile, or puts the due callback to the service desk
 *   (`RequestCallbackDue`). A schedule the request moved past (decided,
 *   confirmed, reopened, answered) finds nothing to do: the domain rules
 *   return null.
 * @module
 */
import * as z from 'zod';
import { now } from '#shared/clock.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getRequest, saveRequest } from '#shared/data/requests/request-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import {
  type ApprovalWait,
  announceCallbackDue,
  approvalWait,
  autoCloseRequest,
  type RequestContext,
  type ServiceRequest,
  timeOutRequestApproval,
} from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import { requiredEnv } from '#shared/env.js';
import { functionArnVariable } from '#shared/events/rules.js';
import { ensureScheduledOnce } from '#shared/events/scheduler.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';

const HANDLER = 'requests/schedule-request-follow-ups';
/** The follow-ups act as this user in audit entries and events. */
export const FOLLOW_UP_USER = 'request-follow-up';

const busEvent = z.object({
  'detail-type': z.enum(['RequestSubmitted', 'RequestApprovalRecorded', 'RequestApprovalEscalated', 'RequestFulfilled', 'RequestClosed']),
  detail: z.object({
    tenantId: z.string().min(1),
    requestId: z.string().min(1),
    occurredAt: z.string().min(1),
    facts: z.record(z.string(), z.unknown()).default({}),
  }),
});
const scheduledRun = z.object({
  scheduled: z.object({
    kind: z.enum(['approval-timeout', 'auto-close', 'callback-due']),
    tenantId: z.string().min(1),
    requestId: z.string().min(1),
    level: z.number().int().min(0).optional(),
    escalations: z.number().int().min(0).optional(),
  }),
});
type Kind = z.infer<typeof scheduledRun>['scheduled']['kind'];

/** ≤ 64 characters, unique per request, timer and due time: a redelivered event cannot schedule twice. */
export function followUpScheduleName(kind: Kind, requestId: string, at: string): string {
  const short = { 'approval-timeout': 'ap', 'auto-close': 'ac', 'callback-due': 'cb' }[kind];
  return `rq-${short}-${requestId}-${at.replace(/[^0-9]/g, '').slice(0, 14)}`;
}

function followUpActor(tenantId: string): Actor {
  return { tenantId, userId: FOLLOW_UP_USER, roles: ['agent'] };
}

async function handle(event: unknown): Promise<{ action: 'scheduled' | 'timed out' | 'closed' | 'announced' | 'nothing' }> {
  const run = scheduledRun.safeParse(event);
  if (run.success) return runScheduled(run.data.scheduled);
  const { detail, 'detail-type': type } = busEvent.parse(event);
  const request = await getRequest(detail.tenantId, detail.requestId);
  if (!request) return { action: 'nothing' };
  // A vote that did not complete its level leaves the level's timer as it was.
  if (type === 'RequestApprovalRecorded' && detail.facts.outcome !== 'level_approved') return { action: 'nothing' };
  const timer = timerFor(type, request, detail.occurredAt);
  if (!timer) return { action: 'nothing' };
  await ensureScheduledOnce({
    name: followUpScheduleName(timer.kind, request.id, timer.at),
    when: new Date(timer.at),
    targetArn: requiredEnv(functionArnVariable(HANDLER)),
    payload: { scheduled: { kind: timer.kind, tenantId: request.tenantId, requestId: request.id, ...timer.wait } },
  });
  return { action: 'scheduled' };
}

/** Which timer the event sets, if any: the request as read now decides (a redelivered or overtaken event sets none). */
function timerFor(
  type: z.infer<typeof busEvent>['detail-type'],
  request: ServiceRequest,
  occurredAt: string,
): { kind: Kind; at: string; wait?: ApprovalWait } | null {
  if (type === 'RequestFulfilled') return request.autoCloseAt ? { kind: 'auto-close', at: request.autoCloseAt } : null;
  if (type === 'RequestClosed') return request.callback ? { kind: 'callback-due', at: request.callback.dueAt } : null;
  const wait = approvalWait(request);
  if (!wait || !request.approval) return null;
  // The level began to wait when this event happened: the timeout counts from then.
  return { kind: 'approval-timeout', at: new Date(Date.parse(occurredAt) + request.approval.timeoutHours * 3_600_000).toISOString(), wait };
}

async function runScheduled(run: z.infer<typeof scheduledRun>['scheduled']) {
  const actor = followUpActor(run.tenantId);
  const wait = { level: run.level ?? 0, escalations: run.escalations ?? 0 };
  const rule =
    run.kind === 'approval-timeout'
      ? (request: ServiceRequest, ctx: RequestContext) => timeOutRequestApproval(request, ctx, wait)
      : run.kind === 'auto-close'
        ? autoCloseRequest
        : announceCallbackDue;
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
  return { action: run.kind === 'approval-timeout' ? ('timed out' as const) : run.kind === 'auto-close' ? ('closed' as const) : ('announced' as const) };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler(HANDLER, handle);
