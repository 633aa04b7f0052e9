/**
 * What `statemachines/service-request.asl.json` waits on, and what answers
 * it. The workflow waits on one human step at a time (an approval level, a
 * stage of fulfilment tasks, the requester's confirmation, the callback);
 * the step's task token is kept beside the request with the {@link WorkflowWait}
 * it stands for. The API calls decide as they always did (the domain rules
 * of `service-request.ts`: a vote, a task completion, a confirmation), and
 * {@link waitAnswer} reads from the request as written whether the wait is
 * over and with which outcome: the advancer hands that answer to the token
 * (SendTaskSuccess) and the workflow moves on. One rule set decides; the
 * workflow orchestrates the waits and owns the timers (approval timeout,
 * auto-close, callback due). Pure: the handlers perform the commands.
 * @module
 */
import type { ServiceRequest } from './service-request.js';

/** The workflow's name in the stack (and the local runner). */
export const REQUEST_WORKFLOW = 'service-request';

/** The human step a workflow execution waits on. */
export type WorkflowWait =
  | { readonly kind: 'approval'; readonly level: number; readonly escalations: number }
  | { readonly kind: 'stage'; readonly stage: number; readonly reopenCount: number }
  | { readonly kind: 'confirmation' }
  | { readonly kind: 'callback'; readonly reopenCount: number };

export type WaitKind = WorkflowWait['kind'];

/** The outcome a wait ends with: the Choice states of the workflow branch on `outcome`. */
export type WaitAnswer =
  | { readonly outcome: 'level_approved' | 'approved' | 'rejected' | 'cancelled' }
  | { readonly outcome: 'next_stage' | 'fulfilled' | 'failed' }
  | { readonly outcome: 'expired' | 'escalated' }
  | { readonly outcome: 'closed'; readonly callbackDueAt: string; readonly callbackWaitSeconds: number; readonly reopenCount: number }
  | { readonly outcome: 'recorded' | 'reopened' };

/** Execution input: the ids and the timeouts the Task states read by path (`TimeoutSecondsPath`). */
export interface RequestWorkflowInput {
  readonly tenantId: string;
  readonly requestId: string;
  readonly needsApproval: boolean;
  /** How long each approval level waits before it escalates or expires. */
  readonly approvalTimeoutSeconds: number;
  /** How long a fulfilled request waits for the requester's confirmation before it closes by itself. */
  readonly autoCloseSeconds: number;
}

/** What the advancer does for an event: start the workflow, answer its waiting step, or nothing. */
export type RequestWorkflowCommand =
  | { readonly kind: 'start'; readonly name: string; readonly input: RequestWorkflowInput }
  | { readonly kind: 'complete'; readonly token: string; readonly output: WaitAnswer }
  | { readonly kind: 'none' };

/** A request without approval still needs the field (the definition reads it by path): an hour, never used. */
const NO_APPROVAL_TIMEOUT_SECONDS = 3600;
const DAY_SECONDS = 86_400;

/** The stored wait: its token and what it stands for. */
export interface StoredWait {
  readonly token: string;
  readonly wait: WorkflowWait;
  readonly since: string;
}

/** The execution input for a submitted request. */
export function workflowInput(request: ServiceRequest): RequestWorkflowInput {
  const hours = request.approval?.timeoutHours;
  return {
    tenantId: request.tenantId,
    requestId: request.id,
    needsApproval: request.status === 'awaiting_approval',
    approvalTimeoutSeconds: hours === undefined ? NO_APPROVAL_TIMEOUT_SECONDS : Math.max(1, Math.round(hours * 3600)),
    autoCloseSeconds: Math.max(1, Math.round(request.definition.targets.autoCloseDays * DAY_SECONDS)),
  };
}

/** The wait of `kind` as the request stands now: the level, stage or reopening it is about. */
export function currentWait(request: ServiceRequest, kind: WaitKind): WorkflowWait {
  switch (kind) {
    case 'approval':
      return { kind, level: request.approval?.currentLevel ?? 0, escalations: request.approval?.escalations ?? 0 };
    case 'stage':
      return { kind, stage: request.stage ?? 0, reopenCount: request.reopenCount };
    case 'confirmation':
      return { kind };
    case 'callback':
      return { kind, reopenCount: request.reopenCount };
  }
}

function closedAnswer(request: ServiceRequest): WaitAnswer {
  const callback = request.callback;
  // Closed always carries its callback; the fallback keeps the workflow's Wait state valid if it ever does not.
  const dueAt = callback?.dueAt ?? request.updatedAt;
  const until = callback?.reopenUntil ?? dueAt;
  return {
    outcome: 'closed',
    callbackDueAt: dueAt,
    callbackWaitSeconds: Math.max(1, Math.round((Date.parse(until) - Date.parse(dueAt)) / 1000)),
    // The callback step compares with this: a "not satisfied" recorded before the callback fell due reopened the request meanwhile.
    reopenCount: request.reopenCount,
  };
}

/**
 * Whether `wait` is over for the request as written, and how: null while
 * the step still waits. Total over every status, so an answer computed from
 * any later state moves the workflow the right way (a request cancelled
 * while its stage waited ends the workflow as cancelled).
 */
export function waitAnswer(request: ServiceRequest, wait: WorkflowWait): WaitAnswer | null {
  const { status } = request;
  if (status === 'cancelled') return { outcome: 'cancelled' };
  switch (wait.kind) {
    case 'approval':
      if (status === 'rejected') return { outcome: 'rejected' };
      if (status === 'awaiting_approval' || status === 'submitted') {
        return (request.approval?.currentLevel ?? 0) > wait.level ? { outcome: 'level_approved' } : null;
      }
      return { outcome: 'approved' };
    case 'stage':
      if (status === 'failed') return { outcome: 'failed' };
      if (status === 'in_fulfilment' || status === 'awaiting_requester') {
        return (request.stage ?? 0) > wait.stage ? { outcome: 'next_stage' } : null;
      }
      return status === 'fulfilled' || status === 'closed' ? { outcome: 'fulfilled' } : { outcome: 'failed' };
    case 'confirmation':
      if (status === 'fulfilled') return null;
      return status === 'closed' ? closedAnswer(request) : { outcome: 'failed' };
    case 'callback':
      if (request.reopenCount > wait.reopenCount) return { outcome: 'reopened' };
      return status === 'closed' && request.callback?.status === 'pending' ? null : { outcome: 'recorded' };
  }
}

/**
 * The advancer's command for the event `detailType` about `request` (read
 * consistently now) and the wait stored beside it. The request id names
 * the execution, so a redelivered `RequestSubmitted` starts nothing twice.
 */
export function requestWorkflowCommand(detailType: string, request: ServiceRequest, stored: StoredWait | null): RequestWorkflowCommand {
  if (detailType === 'RequestSubmitted') return { kind: 'start', name: request.id, input: workflowInput(request) };
  if (!stored) return { kind: 'none' };
  const answer = waitAnswer(request, stored.wait);
  return answer ? { kind: 'complete', token: stored.token, output: answer } : { kind: 'none' };
}
