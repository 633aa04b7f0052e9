/**
 * Target of the bus rule `ChangeWorkflow`: for each change event, start
 * the approval workflow when the change enters it, hand a person's answer
 * to the waiting workflow step, or stop the workflow of a cancelled change
 * (`workflowCommand`). Driven by the outbox, so a decision that committed
 * always reaches the workflow (at least once; every command is idempotent).
 * Throws on failure, so EventBridge retries and then dead-letters.
 * @module
 */
import { getChange } from '#shared/data/changes/change-repository.js';
import { CHANGE_WORKFLOW, workflowCommand } from '#shared/domain/changes/change-workflow.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { executionArnOf, sendTaskSuccess, startExecution, stateMachineArn, stopExecution } from '#shared/workflows/step-functions.js';

interface ChangeBusEvent {
  readonly 'detail-type': string;
  readonly detail: { readonly tenantId?: string; readonly changeId?: string };
}

async function handle(event: ChangeBusEvent): Promise<void> {
  const { tenantId, changeId } = event.detail ?? {};
  if (!tenantId || !changeId) return;
  const change = await getChange(tenantId, changeId);
  if (!change) return;
  const command = workflowCommand(event['detail-type'], change);
  switch (command.kind) {
    case 'start':
      await startExecution({ stateMachineArn: stateMachineArn(CHANGE_WORKFLOW), name: command.name, input: command.input });
      return;
    case 'complete':
      // False: the step is gone (answered already, timed out, stopped): nothing is waiting for this answer.
      if (!(await sendTaskSuccess(command.token, command.output))) logger.info('No workflow step waits for this answer', { tenantId, changeId });
      return;
    case 'stop':
      await stopExecution(executionArnOf(stateMachineArn(CHANGE_WORKFLOW), command.name), 'ChangeCancelled', `Change ${change.number} was cancelled.`);
      return;
    case 'none':
      return;
  }
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('changes/advance-change-workflow', handle);
