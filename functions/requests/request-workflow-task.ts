/**
 * The task function of `statemachines/service-request.asl.json`: one entry
 * point, a step per Task state. The waiting steps (`requestApproval`,
 * `awaitStage`, `awaitConfirmation`, `awaitCallback`) keep their task token
 * beside the request; the answer comes later, when an API call's decision
 * reaches the advancer (`advance-request-workflow.ts`). The timed steps
 * (`approvalTimedOut`, `autoClose`) apply the same domain rules the API
 * would, as the workflow user. Every step re-reads the request and is safe
 * to retry. Throws on failure, so the state machine's Retry and Catch apply.
 * @module
 */
import { now } from '#shared/clock.js';
import * as repository from '#shared/data/requests/request-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { currentWait, type StoredWait, type WaitAnswer, type WaitKind, type WorkflowWait, waitAnswer } from '#shared/domain/requests/request-workflow.js';
import {
  announceCallbackDue,
  autoCloseRequest,
  type RequestMutation,
  type ServiceRequest,
  timeOutRequestApproval,
} from '#shared/domain/requests/service-request.js';
import type { Actor } from '#shared/domain/roles.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import * as stepFunctions from '#shared/workflows/step-functions.js';

export interface RequestWorkflowTaskInput {
  readonly step: 'requestApproval' | 'approvalTimedOut' | 'awaitStage' | 'awaitConfirmation' | 'autoClose' | 'awaitCallback';
  readonly tenantId: string;
  readonly requestId: string;
  readonly TaskToken?: string;
  /** `awaitCallback`: the reopenings counted when the request closed. */
  readonly reopenCount?: number;
}

/** The workflow acts as this user in audit entries and events. */
export const REQUEST_WORKFLOW_USER = 'request-workflow';

/** What the steps read, write and call: the data layer and Step Functions in Lambda, fakes in path tests. */
export interface RequestWorkflowDeps {
  readonly getRequest: (tenantId: string, requestId: string) => Promise<ServiceRequest | null>;
  readonly saveRequest: (mutation: RequestMutation, actor: Actor, expectedVersion: number, ifMatch: boolean) => Promise<void>;
  readonly getWorkflowWait: (tenantId: string, requestId: string) => Promise<StoredWait | null>;
  readonly putWorkflowWait: (tenantId: string, requestId: string, stored: StoredWait) => Promise<void>;
  readonly sendTaskSuccess: (token: string, output: unknown) => Promise<boolean>;
  readonly now?: () => Date;
}

const WAITING_STEPS: Partial<Record<RequestWorkflowTaskInput['step'], WaitKind>> = {
  requestApproval: 'approval',
  awaitStage: 'stage',
  awaitConfirmation: 'confirmation',
  awaitCallback: 'callback',
};

/** The task function over `deps`. */
export function createRequestWorkflowTask(deps: RequestWorkflowDeps): (input: RequestWorkflowTaskInput) => Promise<unknown> {
  const clock = deps.now ?? now;

  async function load(input: RequestWorkflowTaskInput): Promise<ServiceRequest> {
    const request = await deps.getRequest(input.tenantId, input.requestId);
    if (!request) throw new NotFoundError(`Request ${input.requestId} was not found.`);
    return request;
  }

  /** Reads the request, applies `rule` as the workflow user, writes; a write race with a person is retried on a fresh read. */
  async function advance(input: RequestWorkflowTaskInput, rule: (request: ServiceRequest, actor: Actor, now: string) => RequestMutation | null) {
    const actor: Actor = { tenantId: input.tenantId, userId: REQUEST_WORKFLOW_USER, roles: [] };
    return retryOnConflict(async () => {
      const request = await load(input);
      const mutation = rule(request, actor, clock().toISOString());
      if (mutation) await deps.saveRequest(mutation, actor, request.version, false);
      return { request: mutation?.request ?? request, mutation };
    });
  }

  /**
   * Keeps the token for `wait`, unless the request is past it already
   * (then it answers at once). After keeping it the request is read again:
   * a decision committed meanwhile may have reached the advancer before the
   * token was there, and must not be lost (a second answer to a token is
   * refused harmlessly).
   */
  async function keepToken(input: RequestWorkflowTaskInput, request: ServiceRequest, wait: WorkflowWait) {
    if (!input.TaskToken) throw new Error(`Step ${input.step} needs the task token.`);
    const token = input.TaskToken;
    const answer = (current: ServiceRequest): Promise<WaitAnswer | null> => {
      const decided = waitAnswer(current, wait);
      return decided ? deps.sendTaskSuccess(token, decided).then(() => decided) : Promise.resolve(null);
    };
    if (await answer(request)) return { waiting: false };
    await deps.putWorkflowWait(input.tenantId, input.requestId, { token, wait, since: clock().toISOString() });
    return { waiting: (await answer(await load(input))) === null };
  }

  return async function requestWorkflowTask(input: RequestWorkflowTaskInput): Promise<unknown> {
    const kind = WAITING_STEPS[input.step];
    if (kind === 'callback') {
      // The callback fell due: put it to the service desk once (nothing when recorded already), then wait for it.
      const { request } = await advance(input, (current, actor, at) => announceCallbackDue(current, { actor, now: at }));
      return keepToken(input, request, { kind, reopenCount: input.reopenCount ?? request.reopenCount });
    }
    if (kind) {
      const request = await load(input);
      return keepToken(input, request, currentWait(request, kind));
    }
    switch (input.step) {
      case 'approvalTimedOut': {
        const stored = await deps.getWorkflowWait(input.tenantId, input.requestId);
        const initial = await load(input);
        const timedOut = stored?.wait.kind === 'approval' ? stored.wait : currentWait(initial, 'approval');
        if (timedOut.kind !== 'approval') throw new Error('unreachable');
        const { request, mutation } = await advance(input, (current, actor, at) => timeOutRequestApproval(current, { actor, now: at }, timedOut));
        if (mutation) return { outcome: mutation.eventType === 'RequestApprovalEscalated' ? 'escalated' : 'expired' };
        // A vote landed at the same moment: its outcome; a level escalated by a retried run of this step waits again.
        return waitAnswer(request, timedOut) ?? { outcome: 'escalated' };
      }
      case 'autoClose': {
        const { request } = await advance(input, (current, actor, at) => autoCloseRequest(current, { actor, now: at }));
        const closed = waitAnswer(request, { kind: 'confirmation' });
        // Still fulfilled: the timer ran ahead of the auto-close time (clock skew); the Retry tries again.
        if (!closed) throw new Error(`Request ${request.number} is not due to close yet (${request.autoCloseAt}).`);
        return closed;
      }
      default:
        throw new Error(`Unknown step ${input.step}.`);
    }
  };
}

/** The Lambda handler: the data layer and Step Functions. */
const handle = createRequestWorkflowTask({
  getRequest: repository.getRequest,
  saveRequest: repository.saveRequest,
  getWorkflowWait: repository.getWorkflowWait,
  putWorkflowWait: repository.putWorkflowWait,
  sendTaskSuccess: stepFunctions.sendTaskSuccess,
});

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('requests/request-workflow-task', handle);
