/**
 * Target of the bus rule `RequestWorkflow`: for each request event, start
 * the service request workflow when the request is submitted, or hand the
 * outcome of a person's decision to the step the workflow waits on
 * (`requestWorkflowCommand`: the wait kept beside the request, answered
 * from the request as written). Driven by the outbox, so a decision that
 * committed always reaches the workflow (at least once; every command is
 * idempotent). Throws on failure, so EventBridge retries and then
 * dead-letters.
 * @module
 */
import { getRequest, getWorkflowWait } from '#shared/data/requests/request-repository.js';
import { REQUEST_WORKFLOW, requestWorkflowCommand } from '#shared/domain/requests/request-workflow.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';
import { sendTaskSuccess, startExecution, stateMachineArn } from '#shared/workflows/step-functions.js';

interface RequestBusEvent {
  readonly 'detail-type': string;
  readonly detail: { readonly tenantId?: string; readonly requestId?: string };
}

async function handle(event: RequestBusEvent): Promise<void> {
  const { tenantId, requestId } = event.detail ?? {};
  if (!tenantId || !requestId) return;
  const submitted = event['detail-type'] === 'RequestSubmitted';
  const [request, stored] = await Promise.all([getRequest(tenantId, requestId), submitted ? null : getWorkflowWait(tenantId, requestId)]);
  if (!request) return;
  const command = requestWorkflowCommand(event['detail-type'], request, stored);
  switch (command.kind) {
    case 'start':
      await startExecution({ stateMachineArn: stateMachineArn(REQUEST_WORKFLOW), name: command.name, input: command.input });
      return;
    case 'complete':
      // False: the step is gone (answered already by the step itself, timed out): nothing waits for this answer.
      if (!(await sendTaskSuccess(command.token, command.output))) logger.info('No workflow step waits for this answer', { tenantId, requestId });
      return;
    case 'none':
      return;
  }
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('requests/advance-request-workflow', handle);
