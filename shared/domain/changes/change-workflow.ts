/**
 * What the change workflow advancer does for a change event: start the
 * approval workflow when a change enters it, hand a person's answer to the
 * waiting workflow step (the task token kept on the change), stop the
 * workflow of a cancelled change. Pure: the handler performs the command.
 * @module
 */
import type { Change } from './change.js';
import { isTerminalChange } from './change-lifecycle.js';

/** The workflow's name in the stack (and the local runner). */
export const CHANGE_WORKFLOW = 'change-approval';

export interface ChangeWorkflowInput {
  readonly tenantId: string;
  readonly changeId: string;
  readonly changeType: Change['type'];
  /** How long each approval level waits (the Task's TimeoutSecondsPath). */
  readonly approvalTimeoutSeconds: number;
}

export type WorkflowCommand =
  | { readonly kind: 'start'; readonly name: string; readonly input: ChangeWorkflowInput }
  | { readonly kind: 'complete'; readonly token: string; readonly output: Readonly<Record<string, string>> }
  | { readonly kind: 'stop'; readonly name: string }
  | { readonly kind: 'none' };

/** An hour for a standard change, which never asks for approval: the field is required by the definition. */
const NO_APPROVAL_TIMEOUT_SECONDS = 3600;

/** The command for the event `detailType` about `change` (as read now, consistently). */
export function workflowCommand(detailType: string, change: Change): WorkflowCommand {
  // Execution names are unique per state machine: the change id makes a redelivered event start nothing.
  const name = change.id;
  if (change.status === 'cancelled') return { kind: 'stop', name };
  const entersWorkflow = (detailType === 'ChangeSubmitted' && change.type !== 'normal') || (detailType === 'ChangeAssessed' && change.type === 'normal');
  if (entersWorkflow && !isTerminalChange(change.status)) {
    const hours = change.approval?.timeoutHours;
    return {
      kind: 'start',
      name,
      input: {
        tenantId: change.tenantId,
        changeId: change.id,
        changeType: change.type,
        approvalTimeoutSeconds: hours === undefined ? NO_APPROVAL_TIMEOUT_SECONDS : Math.max(1, Math.round(hours * 3600)),
      },
    };
  }
  if (change.pendingTask?.answer) return { kind: 'complete', token: change.pendingTask.token, output: change.pendingTask.answer };
  return { kind: 'none' };
}
