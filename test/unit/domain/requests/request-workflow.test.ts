/**
 * What answers the service request workflow's waiting step: every wait
 * against every status (table-driven), the level and stage it was kept
 * for, reopenings counted at closure; the execution input and the
 * advancer's commands. Pure: no I/O.
 */
import { describe, expect, it } from 'vitest';
import { currentWait, requestWorkflowCommand, type WorkflowWait, waitAnswer, workflowInput } from '#shared/domain/requests/request-workflow.js';
import type { RequestStatus, ServiceRequest } from '#shared/domain/requests/service-request.js';

function request(status: RequestStatus, patch: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    id: 'R1',
    tenantId: 't1',
    status,
    stage: 0,
    reopenCount: 0,
    approval: { currentLevel: 0, escalations: 0, timeoutHours: 24 } as never,
    callback: null,
    definition: { targets: { autoCloseDays: 5 } } as never,
    updatedAt: '2030-03-04T09:00:00.000Z',
    ...patch,
  } as ServiceRequest;
}

const approval0: WorkflowWait = { kind: 'approval', level: 0, escalations: 0 };
const stage0: WorkflowWait = { kind: 'stage', stage: 0, reopenCount: 0 };
const callback = { dueAt: '2030-03-06T09:00:00.000Z', reopenUntil: '2030-03-18T09:00:00.000Z', status: 'pending' } as ServiceRequest['callback'];

describe('waitAnswer', () => {
  it.each<[string, WorkflowWait, ServiceRequest, unknown]>([
    ['approval pending', approval0, request('awaiting_approval'), null],
    ['approval: the next level asked', approval0, request('awaiting_approval', { approval: { currentLevel: 1 } as never }), { outcome: 'level_approved' }],
    ['approval: approved, fulfilment started', approval0, request('in_fulfilment'), { outcome: 'approved' }],
    ['approval: approved, already fulfilled', approval0, request('fulfilled'), { outcome: 'approved' }],
    ['approval: rejected', approval0, request('rejected'), { outcome: 'rejected' }],
    ['approval: cancelled', approval0, request('cancelled'), { outcome: 'cancelled' }],
    ['stage pending', stage0, request('in_fulfilment'), null],
    ['stage pending while awaiting the requester', stage0, request('awaiting_requester'), null],
    ['stage: the next one opened', stage0, request('in_fulfilment', { stage: 1 }), { outcome: 'next_stage' }],
    ['stage: fulfilled', stage0, request('fulfilled'), { outcome: 'fulfilled' }],
    ['stage: a task failed', stage0, request('failed'), { outcome: 'failed' }],
    ['stage: cancelled', stage0, request('cancelled'), { outcome: 'cancelled' }],
    ['confirmation pending', { kind: 'confirmation' }, request('fulfilled'), null],
    [
      'confirmation: closed, with the callback times',
      { kind: 'confirmation' },
      request('closed', { callback }),
      { outcome: 'closed', callbackDueAt: callback?.dueAt, callbackWaitSeconds: 12 * 86_400, reopenCount: 0 },
    ],
    ['callback pending', { kind: 'callback', reopenCount: 0 }, request('closed', { callback }), null],
    [
      'callback recorded',
      { kind: 'callback', reopenCount: 0 },
      request('closed', { callback: { ...callback, status: 'satisfied' } as never }),
      { outcome: 'recorded' },
    ],
    ['callback reopened the request', { kind: 'callback', reopenCount: 0 }, request('in_fulfilment', { reopenCount: 1, stage: 0 }), { outcome: 'reopened' }],
    [
      'callback reopened, fulfilled and closed again before it fell due',
      { kind: 'callback', reopenCount: 0 },
      request('closed', { reopenCount: 1, callback }),
      { outcome: 'reopened' },
    ],
  ])('%s', (_name, wait, current, expected) => {
    expect(waitAnswer(current, wait)).toEqual(expected);
  });
});

describe('the wait kept and the execution input', () => {
  it('names the level, stage and reopenings as the request stands', () => {
    const current = request('in_fulfilment', { stage: 2, reopenCount: 1, approval: { currentLevel: 1, escalations: 1 } as never });
    expect(currentWait(current, 'approval')).toEqual({ kind: 'approval', level: 1, escalations: 1 });
    expect(currentWait(current, 'stage')).toEqual({ kind: 'stage', stage: 2, reopenCount: 1 });
    expect(currentWait(current, 'callback')).toEqual({ kind: 'callback', reopenCount: 1 });
  });

  it('carries the policy hours and the auto-close days as seconds', () => {
    expect(workflowInput(request('awaiting_approval'))).toEqual({
      tenantId: 't1',
      requestId: 'R1',
      needsApproval: true,
      approvalTimeoutSeconds: 86_400,
      autoCloseSeconds: 5 * 86_400,
    });
    expect(workflowInput(request('in_fulfilment', { approval: null }))).toMatchObject({ needsApproval: false, approvalTimeoutSeconds: 3600 });
  });

  it('starts on submission (named after the request), answers a stored wait that is over, and otherwise does nothing', () => {
    expect(requestWorkflowCommand('RequestSubmitted', request('awaiting_approval'), null)).toMatchObject({ kind: 'start', name: 'R1' });
    const stored = { token: 'tok', wait: approval0, since: '2030-03-04T09:00:00.000Z' };
    expect(requestWorkflowCommand('RequestApproved', request('in_fulfilment'), stored)).toEqual({
      kind: 'complete',
      token: 'tok',
      output: { outcome: 'approved' },
    });
    expect(requestWorkflowCommand('RequestApprovalRecorded', request('awaiting_approval'), stored)).toEqual({ kind: 'none' });
    expect(requestWorkflowCommand('RequestApproved', request('in_fulfilment'), null)).toEqual({ kind: 'none' });
  });
});
