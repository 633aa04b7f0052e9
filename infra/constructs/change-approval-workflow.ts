import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CHANGE_WORKFLOW } from '#shared/domain/changes/change-workflow.js';
import { ItsmFunction } from './itsm-function.js';
import { grantStopExecutions, grantTaskResponses, stateMachineArnOf, workflowStateMachine } from './workflow-state-machine.js';

/** Props of {@link ChangeApprovalWorkflow}. */
export interface ChangeApprovalWorkflowProps {
  readonly stage: string;
  /** The single table: the task function reads and writes changes through the outbox. */
  readonly table: ITableV2;
}

/**
 * The change approval workflow: `statemachines/change-approval.asl.json`
 * (the file the local runner executes too), inlined with `fromString` so
 * template tests can read it; its task function, which may answer its own
 * human task (SendTaskSuccess/Failure on this state machine only); logging
 * without execution data, tracing, and an alarm on failed executions.
 * Executions are started, answered and stopped by the `ChangeWorkflow`
 * rule's function (`startsWorkflow` with `controlsExecutions`), which the
 * events stack grants through {@link ChangeApprovalWorkflow.grantControl}.
 */
export class ChangeApprovalWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly task: ItsmFunction;
  readonly failures: Alarm;
  /** The state machine's ARN, spelt from its name: grants that use it create no dependency cycle with the task function. */
  readonly stateMachineArn: string;
  readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: ChangeApprovalWorkflowProps) {
    super(scope, id);
    const stateMachineName = `itsm-${props.stage}-${CHANGE_WORKFLOW}`;
    this.stateMachineName = stateMachineName;
    this.stateMachineArn = stateMachineArnOf(this, stateMachineName);
    this.task = new ItsmFunction(this, 'Task', { handler: 'changes/change-workflow-task', table: props.table, access: 'write', timeout: Duration.seconds(30) });
    this.grantTaskResponse(this.task.role);

    ({ stateMachine: this.stateMachine, failures: this.failures } = workflowStateMachine(this, {
      stateMachineName,
      workflow: CHANGE_WORKFLOW,
      substitutions: { ChangeWorkflowTaskFunctionArn: this.task.function.functionArn },
      failureDescription: 'A change approval workflow failed (a task kept failing, or an implementation was never reported).',
    }));
  }

  /** SendTaskSuccess/Failure on this state machine's tasks, nothing else. */
  grantTaskResponse(grantee: IGrantable): void {
    grantTaskResponses(grantee, this.stateMachineArn);
  }

  /**
   * What the advancer needs beyond starting executions (granted by the
   * events stack): answer the human tasks and stop executions of this
   * state machine.
   */
  grantControl(fn: ItsmFunction): void {
    this.grantTaskResponse(fn.role);
    grantStopExecutions(fn, this.stateMachineName);
  }
}
