/**
 * The service request workflow under the local stack, over HTTP: each
 * submitted request starts its execution (named after the request), and
 * the decisions taken through the API (a vote, the completion of a stage's
 * last task, the confirmation) reach the step it waits on through the
 * outbox, the `RequestWorkflow` rule and the advancer. The timed paths
 * (approval timeout, auto-close, the callback's due time and window) are
 * run by the path tests in `test/statemachines/`, which may move the clock
 * days ahead; here the shared stack's clock stays where the other tests
 * need it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_RESET } from '../../../infra/local/demo-requests.js';
import { actorsOf, createGroups, type LocalExecutionView, localExecutions, newTenant, pollUntil } from '../api-client.js';

type Request = { id: string; status: string; tasks: { number: string; status: string }[] };

describe('service request workflow over HTTP', () => {
  const owner = actorsOf(newTenant('reqflow'));
  const other = actorsOf(newTenant('reqflow-other'));
  beforeAll(() => createGroups(owner, ['service-desk', 'erp-team']));

  /** The execution of request `id` once `done` holds for it (it runs in the background). */
  async function executionOf(id: string, done: (execution: LocalExecutionView | undefined) => boolean) {
    const found = await pollUntil(async () => (await localExecutions(owner.tenantId)).find((execution) => execution.name === id), done, 20_000);
    expect(found, `execution of ${id}`).toBeDefined();
    return found as LocalExecutionView;
  }
  const inState = (state: string) => (execution: LocalExecutionView | undefined) => execution?.currentState === state;

  it('follows a request without approval: the stage, the confirmation, then the wait for the callback', async () => {
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition: PASSWORD_RESET } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'crm' } } });
    const id = raised.body.id;
    const started = await executionOf(id, inState('AwaitStage'));
    expect(started.stateMachineArn).toMatch(/:stateMachine:itsm-local-service-request$/);
    expect(JSON.parse(started.input)).toMatchObject({ tenantId: owner.tenantId, requestId: id, needsApproval: false });

    const fulfilled = await owner.agent.call<Request>('POST', `/requests/${id}/tasks/${raised.body.tasks[0]?.number}/complete`, {
      body: { outcome: 'Reset.' },
    });
    expect(fulfilled.body.status).toBe('fulfilled');
    await executionOf(id, inState('AwaitConfirmation'));
    const closed = await owner.requester.call<Request>('POST', `/requests/${id}/confirm`);
    expect(closed.body.status).toBe('closed');
    const waiting = await executionOf(id, inState('WaitForCallback'));
    expect(waiting.status).toBe('RUNNING');
    // Another tenant's executions never show it.
    expect((await localExecutions(other.tenantId)).map((execution) => execution.name)).not.toContain(id);
  });

  it('waits on the approval level, moves to the stage on approval; a rejection ends it', async () => {
    const definition = { ...PASSWORD_RESET, name: 'Admin rights', approval: { kind: 'manager', timeoutHours: 8, onTimeout: 'expire' } };
    const item = await owner.manager.call<{ id: string }>('POST', '/catalogue-items', { body: { definition } });
    await owner.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);

    const first = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    expect(first.body.status).toBe('awaiting_approval');
    const asked = await executionOf(first.body.id, inState('RequestApproval'));
    expect(JSON.parse(asked.input)).toMatchObject({ needsApproval: true, approvalTimeoutSeconds: 8 * 3600 });
    const approved = await owner.manager.call<Request>('POST', `/requests/${first.body.id}/approvals`, { body: { decision: 'approve' } });
    expect(approved.body.status).toBe('in_fulfilment');
    await executionOf(first.body.id, inState('AwaitStage'));

    const second = await owner.requester.call<Request>('POST', '/requests', { body: { itemId: item.body.id, answers: { system: 'erp' } } });
    await executionOf(second.body.id, inState('RequestApproval'));
    const rejected = await owner.manager.call<Request>('POST', `/requests/${second.body.id}/approvals`, { body: { decision: 'reject', comment: 'No.' } });
    expect(rejected.body.status).toBe('rejected');
    const ended = await executionOf(second.body.id, (execution) => execution?.status === 'SUCCEEDED');
    expect(ended.status).toBe('SUCCEEDED');
  });
});
